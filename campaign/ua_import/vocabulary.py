"""Small per-language tables of the words a UA's layout is built from.

Only what CLDR does not hold is here: section labels, the "Urgent Action" heading in each
language, contact labels, greetings and a few cue words. Month, language and country names
come from CLDR through `campaign.ua_import.cldr`. Entries are lower case and read as regular
expressions; add a language by adding its words to each table.
"""

from __future__ import annotations

import re

#: The heading that makes a text an Urgent Action.
MARKERS = (
    r"urgent action(?: appeal)?", r"action urgente", r"acci.?n urgente", r"pilna akcja", r"eilaktion",
    r"azione urgente", r"a[çc]c?[ãa]o urgente", r"urgente actie", r"spoedactie", r"срочная акция",
    r"срочное действие", r"تحرك عاجل", r"緊急行動", r"pilne działanie",
)
#: Words that mark a Further Information, an update or an outcome notice.
FOLLOW_UP = (
    r"further information", r"urgent action update", r"\bupdate\b", r"action compl[ée]mentaire",
    r"informations? compl[ée]mentaires?", r"weitere informationen", r"informaci[óo]n complementaria",
    r"actualizaci[óo]n", r"dalsze informacje", r"aktualizacja", r"aanvullende informatie",
    r"ulteriori informazioni", r"aggiornamento", r"informa[çc][õo]es adicionais", r"atualiza[çc][ãa]o",
    r"дополнительная информация", r"\bFI\b",
)
NO_FURTHER_ACTION = (
    r"no further action", r"aucune action compl[ée]mentaire", r"keine weiteren (?:aktionen|appelle)",
    r"no se requieren? m[áa]s acciones", r"no (?:es necesario|hace falta) (?:actuar|emprender)",
    r"nie s[ąa] wymagane (?:dalsze|kolejne)", r"geen (?:verdere|nieuwe) actie", r"non sono (?:richieste|necessarie) ulteriori",
    r"n[ãa]o [ée] necess[áa]ria (?:mais|nenhuma)", r"дальнейшие действия не требуются",
)
OUTCOME_WORDS = {
    "released": (
        r"\breleased\b", r"\bfreed\b", r"lib[ée]r[ée]e?s?\b", r"freigelassen", r"puest[oa]s? en libertad",
        r"liberad[oa]s?\b", r"uwolnion", r"zwolnion", r"vrijgelaten", r"rilasciat", r"libertad[oa]s?\b",
        r"освобожден",
    ),
    "charges_dropped": (
        r"charges? (?:were |have been )?dropped", r"abandon des (?:charges|poursuites)", r"anklage fallen gelassen",
        r"cargos? retirad", r"zarzuty wycofan",
    ),
    "sentenced": (r"\bsentenced\b", r"\bcondamn[ée]", r"\bverurteilt", r"\bcondenad[oa]", r"\bskazan", r"\bveroordeeld"),
}
#: Titles that open an official's line ("Ambassador Yasser Reda", "Prezydent / President").
TITLE_WORDS = (
    "President", "Vice-President", "Prime Minister", "Minister", "Ambassador", "Public Prosecutor",
    "Prosecutor", "Attorney General", "Director", "Secretary", "Head of", "Governor", "King", "Queen",
    "Emir", "Sheikh", "Chief", "Judge", "Chairman", "Chairperson", "Commissioner", "Mayor",
    "Party Secretary", "General", "Chargé", "Prezydent", "Wiceprezydent", "Premier", "Ministre",
    "Président", "Procureur", "Ambassadeur", "Presidente", "Fiscal", "Ministro", "Embajador",
    "Präsident", "Botschafter", "Generalstaatsanwalt", "Staatsanwalt", "Oberste", "Minister",
    "Ambasador", "Prokurator", "Procuratore", "Procurador", "Embaixador", "Ambasciatore",
)
CHANNELS = {
    "email": r"e-?mail|courriel|correo(?: electr[óo]nico)?|adres e-mail|posta elettronica",
    "fax": r"fax|t[ée]l[ée]copie|telefax|faks",
    "phone": r"phone|tel(?:ephone)?|t[ée]l(?:[ée]phone)?|telefon|tel[ée]fono|telefoon|telefone",
    "twitter": r"twitter|x \(twitter\)|x",
    "salutation": r"salutation|anrede|nag[łl][óo]wek|formule d'appel|tratamiento|aanhef|saluto|sauda[çc][ãa]o|обращение",
}
#: Labels that turn the blocks after them into copies.
COPY_LABELS = (
    r"(?:and )?cop(?:y|ies)(?: to)?", r"kopie do", r"kopie an", r"sende eine kopie an", r"kopien an",
    r"copie(?:s)? (?:à|a)", r"avec copie (?:à|a)", r"copias? a", r"con copia a", r"kopie naar", r"copia a",
    r"c[óo]pias? para", r"cc",
)
#: Section labels that end the case text and open the action or the letter.
TAKE_ACTION = (
    r"take action", r"recommended action", r"what (?:you can do|to do)", r"action recommand[ée]e",
    r"passez [àa] l'action", r"agissez", r"empfohlene aktionen", r"schreiben sie", r"acci[óo]n recomendada",
    r"zalecane dzia[łl]ania", r"wat kun je doen", r"azione raccomandata", r"a[çc][ãa]o recomendada",
    r"contact information", r"adresaci apeli", r"appeals to", r"please send appeals to", r"appelle an",
    r"envoyez vos appels", r"env[íi]en llamamientos a", r"adressen", r"indirizzi",
)
BACKGROUND = (
    r"additional information", r"background(?: information)?", r"informations? g[ée]n[ée]rales?",
    r"hintergrund(?:informationen)?", r"informaci[óo]n adicional", r"t[łl]o sprawy", r"achtergrond(?:informatie)?",
    r"informazioni aggiuntive", r"informa[çc][ãa]o adicional",
)
LETTER_LABELS = (r"sample letter", r"model letter", r"lettre type", r"musterbrief", r"modelo de carta", r"voorbeeldbrief")
#: Letter openings: a contact block never continues past one.
GREETINGS = (
    r"dear\b", r"your excellency", r"excellency", r"exzellenz", r"sehr geehrte", r"monsieur", r"madame",
    r"excelent[íi]sim", r"se[ñn]or", r"se[ñn]ora", r"estimad[oa]", r"szanown", r"wasza ekscelencjo",
    r"geachte", r"egregi", r"gentile", r"excel[êe]ncia", r"senhor", r"exm[oa]",
)
CLOSINGS = (
    r"yours sincerely", r"sincerely", r"mit freundlichen gr[üu](?:ß|ss)en", r"veuillez agr[ée]er",
    r"atentamente", r"z powa[żz]aniem", r"(?:met )?vriendelijke groet(?:en)?", r"cordiali saluti", r"atenciosamente",
)
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Herr", "Frau", "Fray", "Sr", "Sra", "Srta", "Don", "Doña",
    "Pan", "Pani", "M", "Mme", "Mlle", "Dhr", "Mevr", "Sig", "Sig.ra", "Sheikh", "Father", "Brother",
    "Sister", "Pastor", "Imam",
)
#: Words that make a run of capitalised words an organisation or a place, not a person.
NOT_A_NAME = (
    "amnesty", "international", "embassy", "office", "ministry", "department", "court", "prison", "bureau",
    "police", "council", "committee", "commission", "centre", "center", "university", "party", "movement",
    "union", "agency", "tribunal", "association", "organization", "organisation", "government", "republic",
    "security", "rights", "human", "national", "supreme", "revolutionary", "state", "day", "prosecutor",
    "president", "minister", "ambassador", "secretary", "director", "general", "public", "branch", "section",
    "judiciary", "intelligence", "guards", "urgent", "action", "appeal", "update", "network", "campaign",
    "facebook", "twitter", "covid", "botschaft", "ministerium", "gericht", "ambassade", "minist\u00e8re",
    "embajada", "ministerio", "ambasada", "ministerstwo", "instituto", "comisi\u00f3n", "centro", "derechos",
    "humanos", "nations", "unies", "unidas", "united", "world", "health", "organization", "law", "code",
    "program", "programme", "study", "the", "and", "of", "for", "in", "on", "at", "to", "a", "an",
    "gewahrsam", "haft", "sektion", "kommission", "bundesrepublik", "deutschland", "tigers", "liberation",
    "front", "division", "investigation", "forces", "army", "military", "air", "force", "airport",
)
#: Appeal deadline cues: the date after one of these, in a sentence about appeals.
DEADLINE_CUES = (
    r"until", r"before", r"\bby\b", r"expires?(?: on)?", r"deadline", r"no later than", r"jusqu'(?:au|à)",
    r"avant(?: le)?", r"d'ici(?: le)?", r"\bbis(?: zum)?\b", r"sp[äa]testens", r"hasta(?: el)?", r"antes del?",
    r"\bdo\b", r"przed", r"v[óo][óo]r", r"uiterlijk", r"entro(?: il)?", r"prima del", r"at[ée]",
)
DEADLINE_CONTEXT = (
    r"appeals?\b", r"action", r"expire", r"write", r"send", r"deadline", r"appelle", r"aktion", r"schreib",
    r"schrijf", r"actie", r"brie", r"apel", r"akcj", r"llamamiento", r"acci[óo]n", r"envi", r"escrib",
    r"appels", r"envoy", r"[ée]cri", r"azion", r"appell", r"scriv", r"a[çc][ãa]o", r"apelo", r"escrev",
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
    "en": ("the", "and", "of", "to", "is", "was", "his", "her", "has", "with"),
    "fr": ("le", "la", "les", "et", "des", "est", "une", "dans", "pour", "qui"),
    "de": ("der", "die", "und", "das", "ist", "nicht", "sich", "mit", "den", "wurde"),
    "es": ("el", "los", "las", "y", "del", "que", "una", "por", "con", "fue"),
    "pl": ("i", "w", "na", "się", "nie", "z", "że", "do", "jest", "przez"),
    "nl": ("de", "het", "een", "en", "van", "is", "niet", "zijn", "voor", "werd"),
    "it": ("il", "di", "che", "e", "per", "non", "della", "sono", "gli", "stato"),
    "pt": ("o", "de", "que", "e", "os", "não", "uma", "foi", "para", "com"),
}


def any_of(patterns: tuple[str, ...] | list[str]) -> str:
    """One alternation of several patterns."""
    return "(?:" + "|".join(patterns) + ")"


def matches(patterns: tuple[str, ...], text: str) -> re.Match[str] | None:
    """The first match of any pattern in text, case-insensitive."""
    return re.search(any_of(patterns), text, re.IGNORECASE)
