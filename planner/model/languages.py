"""The words planner reads in English, Portuguese, Spanish, French and German, as data.

Every table maps a word (lower case, as written; the accent-free spelling is added
automatically, so ``media`` reads as ``média``) to what it means. The modules that read
priorities (:mod:`planner.model.priority`), states (:mod:`planner.views.meta`,
:mod:`planner.model.markers`), estimates (:mod:`planner.model.estimate`), field names
(:mod:`planner.model.parser`) and section headings (:mod:`planner.views.focus`,
:mod:`planner.model.kinds`) build their patterns from these tables; English stays in those
modules' own patterns, which these words extend. A per-repository ``.planner.toml`` adds
section and priority words at run time (:mod:`planner.model.vocabulary`).

To add a language, add its words to each table: no pattern needs to change.
"""

from __future__ import annotations

import re
import unicodedata

# Field names → the English key planner reads ("**Prioridade**: Alta" is a priority field).
FIELD_NAMES: dict[str, str] = {
    # Portuguese
    "prioridade": "priority", "estado": "status", "situação": "status", "estimativa": "estimate",
    "estimativa de tempo": "time estimate", "tempo estimado": "estimated time", "esforço": "effort",
    "duração": "duration", "responsável": "owner", "dono": "owner", "prazo": "due", "data limite": "due",
    "data de entrega": "due", "vencimento": "due", "dependências": "dependencies", "bloqueado por": "blocked by",
    "atualizado": "updated", "última atualização": "last updated", "data": "date",
    "próxima ação": "next action", "próximo passo": "next step",
    # Spanish
    "prioridad": "priority", "estatus": "status", "estimación": "estimate", "estimado": "estimate",
    "tiempo estimado": "estimated time", "esfuerzo": "effort", "duración": "duration",
    "responsable": "owner", "asignado a": "assignee", "fecha límite": "due", "vence": "due",
    "fecha de entrega": "due", "dependencias": "dependencies", "bloqueado por": "blocked by",
    "última actualización": "last updated", "actualizado": "updated", "fecha": "date",
    "próxima acción": "next action", "siguiente paso": "next step",
    # French
    "priorité": "priority", "statut": "status", "état": "status", "estimation": "estimate",
    "temps estimé": "estimated time", "effort": "effort", "charge": "effort", "durée": "duration",
    "propriétaire": "owner", "assigné à": "assignee", "échéance": "due", "date limite": "due",
    "dépendances": "dependencies", "bloqué par": "blocked by", "mis à jour": "updated",
    "dernière mise à jour": "last updated", "prochaine action": "next action", "prochaine étape": "next step",
    # German
    "priorität": "priority", "prio": "priority", "zustand": "status", "schätzung": "estimate",
    "aufwand": "effort", "geschätzter aufwand": "estimated effort", "dauer": "duration",
    "verantwortlich": "owner", "zuständig": "owner", "besitzer": "owner", "fällig": "due", "fällig am": "due",
    "frist": "due", "termin": "due", "abhängigkeiten": "dependencies", "blockiert durch": "blocked by",
    "aktualisiert": "updated", "zuletzt aktualisiert": "last updated", "datum": "date",
    "nächste aktion": "next action", "nächster schritt": "next step",
}  # fmt: skip

# Priority words (a field's value, or beside a "priority" word in a heading) → level.
PRIORITY_WORDS: dict[str, str] = {
    # Portuguese
    "crítica": "P0", "crítico": "P0", "urgente": "P0", "máxima": "P0", "altíssima": "P0",
    "alta": "P1", "alto": "P1", "média": "P2", "médio": "P2", "normal": "P2",
    "baixa": "P3", "baixo": "P3", "mínima": "P3",
    # Spanish
    "media": "P2", "medio": "P2", "baja": "P3", "bajo": "P3",
    # French
    "critique": "P0", "bloquante": "P0", "bloquant": "P0", "haute": "P1", "élevée": "P1", "élevé": "P1",
    "moyenne": "P2", "moyen": "P2", "basse": "P3", "faible": "P3",
    # German
    "kritisch": "P0", "dringend": "P0", "sehr hoch": "P0", "höchste": "P0", "hoch": "P1", "hohe": "P1",
    "mittel": "P2", "mittlere": "P2", "niedrig": "P3", "niedrige": "P3", "gering": "P3",
}  # fmt: skip

# The word "priority" itself: "Prioridade Alta", "Alta prioridad", "Priorité haute", "Hohe Priorität".
PRIORITY_NAMES: tuple[str, ...] = ("prioridade", "prioridad", "priorité", "priorität", "prio")

# Status words (a Status field's value, a checkbox's trailing state) → status.
# Statuses: done, in_progress, cancelled, deferred, blocked, pending.
STATUS_WORDS: dict[str, str] = {
    # Portuguese
    "concluído": "done", "concluída": "done", "concluídos": "done", "concluídas": "done", "feito": "done",
    "feita": "done", "finalizado": "done", "finalizada": "done", "pronto": "done", "entregue": "done",
    "em andamento": "in_progress", "em progresso": "in_progress", "fazendo": "in_progress",
    "cancelado": "cancelled", "cancelada": "cancelled", "adiado": "deferred", "adiada": "deferred",
    "bloqueado": "blocked", "bloqueada": "blocked", "aguardando": "blocked", "pendente": "pending",
    # Spanish
    "completado": "done", "completada": "done", "hecho": "done", "hecha": "done", "terminado": "done",
    "terminada": "done", "listo": "done", "en progreso": "in_progress", "en curso": "in_progress",
    "haciendo": "in_progress", "pospuesto": "deferred", "aplazado": "deferred",
    "esperando": "blocked", "en espera": "blocked", "pendiente": "pending",
    # French
    "terminé": "done", "terminée": "done", "fait": "done", "faite": "done", "achevé": "done",
    "fini": "done", "livré": "done", "en cours": "in_progress", "annulé": "cancelled",
    "annulée": "cancelled", "reporté": "deferred", "reportée": "deferred", "bloqué": "blocked",
    "bloquée": "blocked", "en attente": "blocked", "à faire": "pending",
    # German
    "erledigt": "done", "fertig": "done", "abgeschlossen": "done", "geliefert": "done",
    "in arbeit": "in_progress", "in bearbeitung": "in_progress", "läuft": "in_progress",
    "abgebrochen": "cancelled", "storniert": "cancelled", "verworfen": "cancelled",
    "verschoben": "deferred", "zurückgestellt": "deferred", "blockiert": "blocked", "wartend": "blocked",
    "wartet": "blocked", "offen": "pending", "ausstehend": "pending",
}  # fmt: skip

# Estimate units → planner's unit (minute, hour, day, week, month).
UNIT_WORDS: dict[str, str] = {
    # Portuguese and Spanish
    "minuto": "minute", "minutos": "minute", "hora": "hour", "horas": "hour", "dia": "day", "dias": "day",
    "día": "day", "días": "day", "semana": "week", "semanas": "week", "mês": "month", "meses": "month",
    "mes": "month",
    # French
    "heure": "hour", "heures": "hour", "jour": "day", "jours": "day", "semaine": "week", "semaines": "week",
    "mois": "month",
    # German
    "minuten": "minute", "stunde": "hour", "stunden": "hour", "std": "hour", "tag": "day", "tage": "day",
    "tagen": "day", "woche": "week", "wochen": "week", "monat": "month", "monate": "month", "monaten": "month",
}  # fmt: skip
# "2 a 3 dias", "2 à 3 jours", "2 bis 3 Tage"; "cerca de 2 horas", "environ 3 jours", "etwa 2 Tage".
RANGE_WORDS: tuple[str, ...] = ("a", "à", "até", "bis", "hasta")
APPROX_WORDS: tuple[str, ...] = ("cerca de", "aprox.", "aproximadamente", "environ", "env.", "etwa", "ca.", "circa", "unos", "umas")

# Section headings, by what the section holds. A phrase matches as whole words anywhere in
# the heading; "today" words also make a bare heading ("## Heute") today's tasks.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    # Words that say "today" (a heading that is only one of them is today's tasks).
    "today": ("hoje", "hoy", "aujourd'hui", "aujourd’hui", "heute"),
    # Today's tasks.
    "tasks": (
        "tarefas de hoje", "tarefas do dia", "para hoje", "a fazer hoje", "tareas de hoy", "tareas del día",
        "para hoy", "pendientes de hoy", "tâches du jour", "tâches d'aujourd'hui", "tâches d’aujourd’hui",
        "à faire aujourd'hui", "aufgaben für heute", "aufgaben heute", "heutige aufgaben", "heute zu tun",
        "tagesaufgaben", "plan für heute",
    ),
    # Today's focus.
    "focus": (
        "foco de hoje", "foco do dia", "prioridades de hoje", "foco de hoy", "enfoque de hoy", "prioridades de hoy",
        "objetivo del día", "focus du jour", "priorités du jour", "objectif du jour", "fokus für heute",
        "fokus heute", "heutiger fokus", "tagesfokus", "prioritäten für heute", "tagesziel",
    ),
    # Blocked or waiting.
    "blocked": (
        "bloqueado", "bloqueados", "bloqueada", "bloqueadas", "bloqueios", "impedimentos", "aguardando",
        "esperando", "en espera", "bloqueos", "bloqué", "bloqués", "bloquée", "bloquées", "blocages",
        "en attente", "blockiert", "blocker", "wartend", "wartet auf",
    ),
    # Done (today).
    "done": (
        "concluído", "concluídos", "concluída", "concluídas", "feito", "feitos", "finalizado", "finalizados",
        "completado", "completados", "completadas", "hecho", "terminado", "terminados", "terminé", "terminés",
        "terminées", "fait", "achevé", "réalisé", "erledigt", "abgeschlossen", "fertig",
    ),
    # A day's plan, as a document's title ("Plano diário", "Tagesplan").
    "daily": (
        "plano diário", "plano do dia", "tarefas diárias", "plan diario", "plan del día", "tareas diarias",
        "plan du jour", "planning du jour", "tâches quotidiennes", "tagesplan", "tagesplanung",
        "tägliche aufgaben", "tagesaufgaben",
    ),
    # Open work still to do ("Pending Tasks").
    "pending": ("pendente", "pendentes", "pendiente", "pendientes", "à faire", "en suspens", "offen", "ausstehend"),
}  # fmt: skip

# Placeholders: a list entry that is only one of these is no work ("Nenhum", "Keine").
PLACEHOLDERS: tuple[str, ...] = ("nenhum", "nenhuma", "ninguno", "ninguna", "nada", "aucun", "aucune", "rien", "keine", "keiner", "nichts")


# A table column that names the work itself ("| Tarefa | Prioridade | Estado |").
TITLE_COLUMN_WORDS: tuple[str, ...] = (
    "tarefa", "atividade", "item", "funcionalidade", "título", "tarea", "actividad", "funcionalidad",
    "título", "tâche", "fonctionnalité", "titre", "élément", "aufgabe", "funktion", "titel", "vorhaben",
)  # fmt: skip

def plain(word: str) -> str:
    """``word`` without its accents: "média" → "media", "fällig" → "fallig"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def spelled(table: dict[str, str]) -> dict[str, str]:
    """``table`` with keys trimmed, and each key's accent-free spelling added (the written one wins)."""
    found: dict[str, str] = {}
    for word, meaning in table.items():
        found.setdefault(word.strip(), meaning)
    for word, meaning in list(found.items()):
        found.setdefault(plain(word), meaning)
    return found


def spellings(words: tuple[str, ...] | list[str]) -> list[str]:
    """``words`` and their accent-free spellings, longest first (for a pattern's alternation)."""
    every = {w.strip() for w in words} | {plain(w.strip()) for w in words}
    return sorted((w for w in every if w), key=len, reverse=True)


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of ``words`` (any spelling), blanks matching any run of blanks."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in spellings(words))
