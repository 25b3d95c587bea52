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
# the same, counted in the totals ("2 ugyldige")
PORTFOLIO_COUNTS = {"ok": "portfolio.count.ok", "stale": "portfolio.count.stale",
                    "invalid": "portfolio.count.invalid",
                    "mid-merge": "portfolio.count.mid-merge",
                    "broken": "portfolio.count.broken",
                    "unreadable": "portfolio.count.unreadable",
                    "unavailable": "portfolio.count.unavailable"}
PORTFOLIO_COLUMNS = ("portfolio.column.process", "portfolio.column.phase",
                     "portfolio.column.owners", "portfolio.column.signed",
                     "portfolio.column.demand", "portfolio.column.findings",
                     "portfolio.column.activity")
ACTIVITY = {"git": "portfolio.activity.git", "files": "portfolio.activity.files"}
# copi doctor's checks, by their id (the same in --json)
CHECKS = {"python": "cli.doctor.check.python", "git": "cli.doctor.check.git",
          "git identity": "cli.doctor.check.git-identity", "pandoc": "cli.doctor.check.pandoc",
          "typst": "cli.doctor.check.typst", "process": "cli.doctor.check.process",
          "repository": "cli.doctor.check.repository",
          "editor schemas": "cli.doctor.check.editor-schemas",
          "build/ ignored": "cli.doctor.check.build-ignored", "CI": "cli.doctor.check.ci"}
# what a commit did, by the Copi-Action it carries (the same in --json); the transitions'
# words are the data's (labels.json, action)
ACTIONS = {"edit": "cli.trail.action.edit",
           "barrier-add": "cli.trail.action.barrier-add",
           "contact-add": "cli.trail.action.contact-add",
           "contact-erase": "cli.trail.action.contact-erase",
           "decline": "cli.trail.action.decline",
           "event-add": "cli.trail.action.event-add",
           "event-publish": "cli.trail.action.event-publish",
           "insight-add": "cli.trail.action.insight-add",
           "meeting-add": "cli.trail.action.meeting-add",
           "need-add": "cli.trail.action.need-add",
           "owner-add": "cli.trail.action.owner-add",
           "owner-backing": "cli.trail.action.owner-backing",
           "owner-withdraw": "cli.trail.action.owner-withdraw",
           "potential-effect": "cli.trail.action.potential-effect",
           "potential-purchase": "cli.trail.action.potential-purchase",
           "question-add": "cli.trail.action.question-add",
           "question-answer": "cli.trail.action.question-answer",
           "sign": "cli.trail.action.sign",
           "supplier-add": "cli.trail.action.supplier-add",
           "supplier-involve": "cli.trail.action.supplier-involve",
           "term-add": "cli.trail.action.term-add",
           "tool-fill": "cli.trail.action.tool-fill",
           "tool-import": "cli.trail.action.tool-import"}
# a document's audience in copi render --list (the same in --json)
AUDIENCES = {"public": "cli.documents.audience.public",
             "internal": "cli.documents.audience.internal"}
