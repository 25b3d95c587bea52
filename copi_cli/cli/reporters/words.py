"""The words reporters put around results, as ids of data/messages.json, and the marks of status.

A value of the process (a phase's state, a role, a decision) is shown by the message its table
names here; the text in Danish and English lives in the catalogue.
"""

STATES = {"done": "status.state.done", "current": "status.state.current",
          "reopened": "status.state.reopened", "closed": "status.state.closed",
          "left": "status.state.left", "not-started": "status.state.not-started"}
NEXT_STEPS = {"need-owner": "status.next.need-owner", "facilitator": "status.next.facilitator"}
COLUMNS = ("status.column.name", "status.column.role", "status.column.joined",
           "status.column.political", "status.column.administrative", "status.column.volume")
# an organisation's figures, by their key in its file
FIGURES = {"cvr": "organisation.cvr", "municipality_code": "organisation.municipality-code",
           "region_code": "organisation.region-code", "citizens": "organisation.citizens"}
DECISIONS = {"signed": "organisation.signed", "declined": "organisation.declined"}

MARKS = {"done": "✓", "current": "▶", "reopened": "↺", "closed": "■", "left": "↩",
         "not-started": "·"}
UNKNOWN = "—"  # a figure not known
# copi portfolio: a process's state, the table's columns, where its last activity was read
PORTFOLIO_STATES = {"ok": "portfolio.state.ok", "stale": "portfolio.state.stale",
                    "invalid": "portfolio.state.invalid",
                    "mid-merge": "portfolio.state.mid-merge",
                    "broken": "portfolio.state.broken",
                    "unreadable": "portfolio.state.unreadable",
                    "unavailable": "portfolio.state.unavailable"}
PORTFOLIO_COLUMNS = ("portfolio.column.process", "portfolio.column.phase",
                     "portfolio.column.owners", "portfolio.column.signed",
                     "portfolio.column.demand", "portfolio.column.findings",
                     "portfolio.column.activity")
ACTIVITY = {"git": "portfolio.activity.git", "files": "portfolio.activity.files"}
