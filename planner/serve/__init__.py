"""The planner app in a web page (``planner serve``): see server.py."""
