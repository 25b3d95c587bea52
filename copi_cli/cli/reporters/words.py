"""The words reporters put around results, in Danish and English."""

LABELS = {
    "da": {
        "phase": "Fase", "phases": "Faser", "results": "Resultater i denne fase",
        "owners": "Organisationer", "scale": "Skala", "next": "Næste skridt",
        "need-owner": "Behovsejere", "facilitator": "Facilitator",
        "done": "færdig", "current": "nu", "reopened": "genåbnet", "not-started": "ikke startet",
        "name": "Navn", "role": "Rolle", "joined": "Med fra", "political": "Politisk",
        "administrative": "Administrativ", "volume": "Planlagt køb (DKK)",
        "missing": "mangler", "withdrawn": "udtrådt",
        "validation": "Validering",
        "problems": "{e} fejl, {w} advarsl{w_plural} — kør copi validate",
        "valid": "ingen fejl",
        "scale_line": "{n} behovsejer{n_plural} ({b} med fuld ledelsesopbakning), {p} "
                      "partner{p_plural}; planlagte køb {s} DKK, {u} enheder; {c} borgere "
                      "(opgjort for {cr} af {n}); hensigtserklæringen: {signed} underskrevet, "
                      "{declined} afslået, {supported} støtteerklæring{s_plural}",
        "roles": {"need-owner": "behovsejer", "scaling-partner": "skaleringspartner",
                  "knowledge-partner": "videnspartner", "adviser": "rådgiver",
                  "facilitator": "facilitator"},
    },
    "en": {
        "phase": "Phase", "phases": "Phases", "results": "Results of this phase",
        "owners": "Organisations", "scale": "Scale", "next": "Next steps",
        "need-owner": "Need owners", "facilitator": "Facilitator",
        "done": "done", "current": "current", "reopened": "reopened", "not-started": "not started",
        "name": "Name", "role": "Role", "joined": "Joined", "political": "Political",
        "administrative": "Administrative", "volume": "Planned purchases (DKK)",
        "missing": "missing", "withdrawn": "withdrawn",
        "validation": "Validation",
        "problems": "{e} error{e_plural}, {w} warning{w_plural} — run copi validate",
        "valid": "no errors",
        "scale_line": "{n} need owner{n_plural} ({b} with full management backing), {p} "
                      "partner{p_plural}; planned purchases DKK {s}, {u} units; {c} citizens "
                      "(recorded for {cr} of {n}); declaration: {signed} signed, {declined} "
                      "declined, {supported} support declaration{s_plural}",
        "roles": {"need-owner": "need owner", "scaling-partner": "scaling partner",
                  "knowledge-partner": "knowledge partner", "adviser": "adviser",
                  "facilitator": "facilitator"},
    },
}

MARKS = {"done": "✓", "current": "▶", "reopened": "↺", "not-started": "·"}


GATE_WORDS = {
    "da": {"gate": "Port for fase", "holds": "opfyldt", "not": "ikke opfyldt",
           "moved": "Fase", "commit": "commit", "tag": "tag", "files": "filer",
           "no_commit": "ingen commit (--no-commit): copi.yaml er skrevet"},
    "en": {"gate": "Gate of phase", "holds": "holds", "not": "does not hold",
           "moved": "Phase", "commit": "commit", "tag": "tag", "files": "files",
           "no_commit": "no commit (--no-commit): copi.yaml is written"},
}


RECORDED_WORDS = {
    "da": {"files": "filer", "commit": "commit",
           "no_commit": "ingen commit (--no-commit): filerne er skrevet; commit dem selv"},
    "en": {"files": "files", "commit": "commit",
           "no_commit": "no commit (--no-commit): the files are written; commit them yourself"},
}


ORG_WORDS = {
    "da": {"political": "politisk", "administrative": "administrativ", "missing": "mangler",
           "withdrawn": "udtrådt", "joined": "med fra", "signed": "underskrevet",
           "declined": "afslået", "meetings": "møder", "contacts": "kontaktpersoner",
           "backing": "opbakning", "none": "ingen organisationer endnu"},
    "en": {"political": "political", "administrative": "administrative", "missing": "missing",
           "withdrawn": "withdrawn", "joined": "joined", "signed": "signed",
           "declined": "declined", "meetings": "meetings", "contacts": "contacts",
           "backing": "backing", "none": "no organisations yet"},
}


POTENTIAL_WORDS = {
    "da": {
        "demand": "Samlet efterspørgselssignal (planlagte køb)", "year": "År",
        "owners": ("behovsejer", "behovsejere"), "units": "enheder",
        "spend": "udgift DKK (lav / forventet / høj)", "total": "I alt",
        "npv": "Nutidsværdi (gevinster − omkostninger), DKK, basisår {base}",
        "rate": "diskonteringsrente fra {valid}: {bands}",
        "none": "ingen tal endnu: copi potential purchase / effect", "unknown": "—",
    },
    "en": {
        "demand": "Aggregated demand signal (planned purchases)", "year": "Year",
        "owners": ("need owner", "need owners"), "units": "units",
        "spend": "spend DKK (low / expected / high)", "total": "Total",
        "npv": "Net present value (benefits − costs), DKK, base year {base}",
        "rate": "discount rate from {valid}: {bands}",
        "none": "no figures yet: copi potential purchase / effect", "unknown": "—",
    },
}
