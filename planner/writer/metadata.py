"""Giving a rewritten file everything the old one had: owner, group, mode, ACLs, xattrs.

A rename-based rewrite makes a new inode, which starts as the writer's, mode 0600,
with no extended attributes (or with a default ACL inherited from the folder). Before
the rename the new file gets the old one's owner and group, every extended attribute
(POSIX ACLs are the ``system.posix_acl_access`` attribute; ``user.*``, ``trusted.*``
too), none it did not have, and its exact mode. What cannot be kept makes the write
refused (:class:`MetadataNotKept`) rather than silently done: a user who is not the
owner cannot give the file back to its owner, so a rewrite by them is refused.

One exception, by design: ``security.*`` attributes (SELinux, Smack, IMA labels and
file capabilities) belong to the security module, which labels the new file itself;
they are copied where the system allows it and otherwise left as it labelled them.
"""

from __future__ import annotations

import errno
import os
import stat

_ACL = "system.posix_acl_access"


class MetadataNotKept(PermissionError):
    """The new file could not be given the old one's owner, group or an extended attribute."""


def _names(fd: int) -> list[str]:
    try:
        return os.listxattr(fd)
    except OSError as err:
        if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            return []
        raise


def copy_metadata(source: int, info: os.stat_result, target: int, path: str) -> None:
    """Give the open file ``target`` the owner, group, xattrs and mode of ``source`` (stat ``info``)."""
    _copy_owner(info, target, path)
    wanted: dict[str, bytes] = {}
    for name in _names(source):
        try:
            wanted[name] = os.getxattr(source, name)
        except OSError as err:
            if err.errno == errno.ENODATA:
                continue  # removed meanwhile
            raise MetadataNotKept(err.errno, f"cannot read its extended attribute {name} ({err.strerror})") from None
    for name in _names(target):  # e.g. an ACL inherited from the folder's default ACL
        if name not in wanted and not name.startswith("security."):
            try:
                os.removexattr(target, name)
            except OSError as err:
                if err.errno != errno.ENODATA:
                    raise MetadataNotKept(err.errno, f"cannot drop the inherited attribute {name} ({err.strerror})") from None
    for name, value in wanted.items():
        try:
            os.setxattr(target, name, value)
        except OSError as err:
            if name.startswith("security."):
                continue  # the security module labels new files itself
            if err.errno in (errno.ENOSPC, errno.EDQUOT):
                raise  # reported as a full disk
            raise MetadataNotKept(err.errno, f"cannot keep its extended attribute {name} ({err.strerror})") from None
    # Last: chown clears set-id bits, and an ACL sets the group bits; the mode is the old one exactly.
    os.fchmod(target, stat.S_IMODE(info.st_mode))


def _copy_owner(info: os.stat_result, target: int, path: str) -> None:
    mine = os.fstat(target)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.fchown(target, info.st_uid, info.st_gid)
        return
    except PermissionError:
        pass
    if mine.st_uid != info.st_uid:
        raise MetadataNotKept(
            errno.EPERM,
            f"it belongs to {_user(info.st_uid)}; rewriting it as {_user(mine.st_uid)} would make it yours",
        )
    try:
        os.fchown(target, -1, info.st_gid)  # allowed when we are in the file's group
    except PermissionError:
        raise MetadataNotKept(
            errno.EPERM, f"its group {_group(info.st_gid)} cannot be kept by a rewrite (you are not in it)"
        ) from None


def _user(uid: int) -> str:
    try:
        import pwd  # noqa: PLC0415

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def _group(gid: int) -> str:
    try:
        import grp  # noqa: PLC0415

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return f"gid {gid}"
