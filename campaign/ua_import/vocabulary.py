"""Small per-language tables of the words a UA's layout is built from.

Only what CLDR does not hold is here: section labels, the "Urgent Action" heading in each
language, contact labels, greetings and a few cue words. Month, language and country names
come from CLDR through `campaign.ua_import.cldr`. Entries are lower case and read as regular
expressions; add a language by adding its words to each table.
"""

from __future__ import annotations

import re

# fmt: off
#: The heading that makes a text an Urgent Action.
MARKERS = (
    "urgent action(?: appeal)?", "action urgente", "acci.?n urgente", "pilna akcja", "eilaktion",
    "azione urgente", "a[çc]c?[ãa]o urgente", "urgente actie", "spoedactie", "срочная акция",
    "срочное действие", "تحرك عاجل", "緊急行動", "pilne działanie",
)
#: Words that mark a Further Information, an update or an outcome notice.
FOLLOW_UP = (
    "further information", "urgent action update", r"\bupdate\b", "action compl[ée]mentaire",
    "informations? compl[ée]mentaires?", "weitere informationen", "informaci[óo]n complementaria",
    "actualizaci[óo]n", "dalsze informacje", "aktualizacja", "aanvullende informatie",
    "ulteriori informazioni", "aggiornamento", "informa[çc][õo]es adicionais", "atualiza[çc][ãa]o",
    "дополнительная информация", r"\bFI\b",
)
NO_FURTHER_ACTION = (
    "no further action", "aucune action compl[ée]mentaire", "keine weiteren (?:aktionen|appelle)",
    "no se requieren? m[áa]s acciones", "no (?:es necesario|hace falta) (?:actuar|emprender)",
    "nie s[ąa] wymagane (?:dalsze|kolejne)", "geen (?:verdere|nieuwe) actie",
    "non sono (?:richieste|necessarie) ulteriori", "n[ãa]o [ée] necess[áa]ria (?:mais|nenhuma)",
    "дальнейшие действия не требуются",
)
OUTCOME_WORDS = {
    "released": (
        r"\breleased\b", r"\bfreed\b", r"lib[ée]r[ée]e?s?\b", "freigelassen", "puest[oa]s? en libertad",
        r"liberad[oa]s?\b", "uwolnion", "zwolnion", "vrijgelaten", "rilasciat", r"libertad[oa]s?\b",
        "освобожден",
    ),
    "charges_dropped": (
        "charges? (?:were |have been )?dropped", "abandon des (?:charges|poursuites)",
        "anklage fallen gelassen", "cargos? retirad", "zarzuty wycofan",
    ),
    "sentenced": (
        r"\bsentenced\b", r"\bcondamn[ée]", r"\bverurteilt", r"\bcondenad[oa]", r"\bskazan", r"\bveroordeeld",
    ),
}
#: Titles that open an official's line ("Ambassador Yasser Reda", "Prezydent / President").
TITLE_WORDS = (
    "President", "Vice-President", "Prime Minister", "Minister", "Ambassador", "Public Prosecutor",
    "Prosecutor", "Attorney General", "Director", "Secretary", "Head of", "Governor", "King", "Queen", "Emir",
    "Sheikh", "Chief", "Judge", "Chairman", "Chairperson", "Commissioner", "Mayor", "Party Secretary",
    "General", "Chargé", "Inspector General", "Counsellor", "Counselor", "Governador", "Gobernador",
    "Gouverneur", "Governatore", "Prezydent", "Wiceprezydent", "Premier", "Ministre", "Président", "Procureur",
    "Ambassadeur", "Presidente", "Fiscal", "Ministro", "Embajador", "Präsident", "Botschafter",
    "Generalstaatsanwalt", "Staatsanwalt", "Oberste", "Minister", "Ambasador", "Prokurator", "Procuratore",
    "Procurador", "Embaixador", "Ambasciatore",
)
CHANNELS = {
    "email": "e-?mail|courriel|correo(?: electr[óo]nico)?|adres e-mail|posta elettronica",
    "fax": "fax|t[ée]l[ée]copie|telefax|faks|факс",
    "phone": "phone|tel(?:ephone)?|t[ée]l(?:[ée]phone)?|telefon|tel[ée]fono|telefoon|telefone|телефон|t",
    "twitter": r"twitter|x \(twitter\)|x",
    "salutation": "salutation|anrede|nag[łl][óo]wek|formule d'appel|tratamiento|aanhef|saluto|sauda[çc][ãa]o|обращение",
}
#: Labels that turn the blocks after them into copies.
COPY_LABELS = (
    "(?:and )?cop(?:y|ies)(?: to)?", "kopie do", "kopie an", "sende eine kopie an", "kopien an",
    "copie(?:s)? (?:à|a)", "avec copie (?:à|a)", "copias? a", "con copia a", "kopie naar", "copia a",
    "c[óo]pias? para", "cc",
)
#: Section labels that end the case text and open the action or the letter.
TAKE_ACTION = (
    "take action", "recommended action", "what (?:you can do|to do)", "action recommand[ée]e",
    "passez [àa] l'action", "agissez", "empfohlene aktionen", "schreiben sie", "acci[óo]n recomendada",
    "zalecane dzia[łl]ania", "wat kun je doen", "azione raccomandata", "a[çc][ãa]o recomendada",
    "contact information", "adresaci apeli", "appeals to", "please send appeals to", "appelle an",
    "envoyez vos appels", "env[íi]en llamamientos a", "adressen", "indirizzi",
)
#: Letter openings: a contact block never continues past one.
GREETINGS = (
    r"dear\b", "your excellency", "excellency", "exzellenz", "sehr geehrte", "monsieur", "madame",
    "excelent[íi]sim", "se[ñn]or", "se[ñn]ora", "estimad[oa]", "szanown", "wasza ekscelencjo", "geachte",
    "egregi", "gentile", "excel[êe]ncia", "senhor", "exm[oa]",
)
CLOSINGS = (
    "yours sincerely", "sincerely", "mit freundlichen gr[üu](?:ß|ss)en", "veuillez agr[ée]er", "atentamente",
    "z powa[żz]aniem", "(?:met )?vriendelijke groet(?:en)?", "cordiali saluti", "atenciosamente",
)
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Herr", "Frau", "Fray", "Sr", "Sra", "Srta", "Don", "Doña", "Pan",
    "Pani", "M", "Mme", "Mlle", "Dhr", "Mevr", "Sig", "Sig.ra", "Sheikh", "Father", "S. E", "S.E", "H.E",
    "H. E", "Herrn", "His Excellency", "Her Excellency", "Ayatollah", "Brother", "Sister", "Pastor", "Imam",
)
#: Words that make a run of capitalised words an organisation or a place, not a person.
NOT_A_NAME = (
    "amnesty", "international", "embassy", "office", "ministry", "department", "court", "prison", "bureau",
    "police", "council", "committee", "commission", "centre", "center", "university", "party", "movement",
    "union", "agency", "tribunal", "association", "organization", "organisation", "government", "republic",
    "security", "rights", "human", "national", "supreme", "revolutionary", "state", "day", "prosecutor",
    "president", "minister", "ambassador", "secretary", "director", "general", "public", "branch", "section",
    "judiciary", "intelligence", "guards", "urgent", "action", "appeal", "update", "network", "campaign",
    "facebook", "twitter", "covid", "botschaft", "ministerium", "gericht", "ambassade", "ministère",
    "embajada", "ministerio", "ambasada", "ministerstwo", "instituto", "comisión", "centro", "derechos",
    "humanos", "nations", "unies", "unidas", "united", "world", "health", "organization", "law", "code",
    "program", "programme", "study", "the", "and", "of", "for", "in", "on", "at", "to", "a", "an", "gewahrsam",
    "haft", "sektion", "kommission", "bundesrepublik", "deutschland", "tigers", "liberation", "front",
    "division", "investigation", "forces", "army", "military", "air", "force", "airport", "city", "date", "datum", "fecha", "index",
    "municipality", "province", "territories", "industria", "district", "region", "further", "information",
    "informations", "weitere", "informationen", "actions", "accueil", "contact",
)
#: Appeal deadline cues: the date after one of these, in a sentence about appeals.
DEADLINE_CUES = (
    "until", "before", r"\bby\b", "expires?(?: on)?", "deadline", "no later than", "jusqu'(?:au|à)",
    "avant(?: le)?", "d'ici(?: le)?", r"\bbis(?: zum)?\b", "sp[äa]testens", "hasta(?: el)?", "antes del?",
    r"\bdo\b", "przed", "v[óo][óo]r", "uiterlijk", "entro(?: il)?", "prima del", r"\bat[ée]\b", r"(?<!\w)до",
    r"(?<!\w)не позднее",
)
DEADLINE_CONTEXT = (
    r"appeals\b", r"\bagir\b", r"\bhandeln\b", r"\bactuar\b", r"\bagire\b", "пиш", "акци", "action", "expire",
    "write", "send", "deadline", "appelle", "aktion", "schreib", "schrijf", "actie", "brie", "apel", "akcj",
    "llamamiento", "acci[óo]n", "envi", "escrib", "appels", "envoy", "[ée]cri", "azion", "appell", "scriv",
    "a[çc][ãa]o", "apelo", "escrev",
)
#: Words of a demand in a case summary (used only when the UA has no ask list).
DEMANDS = (
    r"\bmust\b", r"\burges?\b", r"\bcalls? on\b", r"\bdemands?\b", r"\bdoit\b", r"\bdoivent\b", r"\bdemande\b",
    r"\bexhorte\b", r"\bmuss\b", r"\bm[üu]ssen\b", r"\bfordert\b", r"\bdebe\b", r"\bdeben\b", r"\bexige\b",
    r"\bpide\b", r"\bmusi\b", r"\bmusz[ąa]\b", r"\bwzywa\b", r"\bmoet(?:en)?\b", r"^roep\b", r"\bdeve\b",
    r"\bdevono\b", r"\bchiede\b", r"\bpede\b", r"\bdevem\b",
)
#: Function words that tell the text's language when its labels do not.
STOPWORDS = {
    "en": (
        "the", "and", "of", "to", "is", "was", "his", "her", "has", "with",
    ),
    "fr": (
        "le", "la", "les", "et", "des", "est", "une", "dans", "pour", "qui",
    ),
    "de": (
        "der", "die", "und", "das", "ist", "nicht", "sich", "mit", "den", "wurde",
    ),
    "es": (
        "el", "los", "las", "y", "del", "que", "una", "por", "con", "fue",
    ),
    "pl": (
        "i", "w", "na", "się", "nie", "z", "że", "do", "jest", "przez",
    ),
    "nl": (
        "de", "het", "een", "en", "van", "is", "niet", "zijn", "voor", "werd",
    ),
    "it": (
        "il", "di", "che", "e", "per", "non", "della", "sono", "gli", "stato",
    ),
    "pt": (
        "o", "de", "que", "e", "os", "não", "uma", "foi", "para", "com",
    ),
}
# fmt: on


def any_of(patterns: tuple[str, ...] | list[str]) -> str:
    """One alternation of several patterns."""
    return "(?:" + "|".join(patterns) + ")"


def matches(patterns: tuple[str, ...], text: str) -> re.Match[str] | None:
    """The first match of any pattern in text, case-insensitive."""
    return re.search(any_of(patterns), text, re.IGNORECASE)
