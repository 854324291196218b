"""The words sheets label their parts with, in the languages Amnesty's sections write: English,
French, Spanish, German, Dutch, Italian, Portuguese and Arabic.

Each pattern matches a cleaned line (`bot.importer.extract.clean_lines`) with its quotes made
plain. The plain phrases of each language are data (`bot.importer.words`: one file per
language in `bot/importer/languages/`), joined to the patterns below; a new language is a new
file there, not a new reader.
"""

from __future__ import annotations

import re

from bot.importer.words import alternatives

# The label of a contact line ("Fax: ...", "Correo-e: ...", "Formule d'appel : ..."), by what
# the value is. Social accounts are read so that they are not taken for address lines.
CONTACT_LABELS: dict[str, str] = {
    "fax": alternatives("fax_label"),
    "phone": alternatives("phone_label"),
    "email": alternatives("email_label"),
    "salutation": alternatives("salutation"),
    "social": alternatives("social_label"),
}
_ANY_LABEL = "|".join(f"(?P<{kind}>{words})" for kind, words in CONTACT_LABELS.items())
CONTACT = re.compile(rf"^(?:{_ANY_LABEL})\s*:\s*(?P<value>.*)$", re.IGNORECASE)
# German sections put the salutation in brackets, in several languages: "(korrekte Anrede: Dear
# Minister / Sehr geehrter Herr Minister)".
BRACKETED = re.compile(r"^\((?P<inner>[^()]{3,300})\)$")
# A label inside a line: "Phone: 212 687-2020 I Fax: 212 867 7086 Email: ..." holds three.
INLINE_CONTACT = re.compile(rf"(?:(?<=\s)|^)(?:{_ANY_LABEL})\s*:\s*", re.IGNORECASE)

# "PLEASE SEND APPEALS BEFORE 10 OCTOBER 2014 TO:", "ENVOYEZ VOS APPELS AVANT LE 22 AVRIL
# 2015 À :", "ENVÍEN LLAMAMIENTOS ANTES DEL 22 DE ABRIL DE 2015 A:", "BITTE SCHREIBEN SIE BIS
# ZUM 14. JUNI 2019", "This Urgent Action expires on March 10, 2022": the date follows.
DEADLINE = re.compile(
    r"(?:please take action (?:as soon as possible )?(?:until|before|by)"
    r"|(?:please\s+)?send (?:your\s+)?appeals?"
    r"(?: as soon as possible| immediately)?(?:\s+and)?\s+(?:before|by|until|no later than)"
    r"|appeal deadline(?: notice)?|deadline for appeals|expires? on"
    r"|if sending appeals after|(?:officials?|authorities|them) (?:by|before)"
    r"|(?:merci d')?envoy(?:ez|er) vos appels avant(?: le)?"
    r"|(?:merci d')?agi(?:r|ssez) avant(?: le)?"
    r"|env[íi]en (?:sus )?llamamientos (?:antes del?|hasta el)"
    r"|(?:escribir|enviar) llamamientos hasta el|no m[áa]s tarde del?"
    r"|act[úu]en lo antes posible(?: y)? (?:hasta el|antes del)"
    r"|bitte schreiben sie (?:bis(?: zum)?|vor dem)|schreiben sie bis(?: zum)?"
    # German and Austrian pages: "Bitte schreiben Sie Ihre Appelle möglichst sofort, spätestens
    # bis 06.03.2018", "Appelle bis 6. März", "nach dem 9. Januar keine Appelle mehr".
    r"|sp[äa]testens (?:bis )?(?:zum )?|nach dem(?= [^!?]{4,30} keine (?:appelle|briefe))"
    r"|appelle bis(?: zum)?|bitte bis zum|handeln sie bis zum|d[ée]lai d'envoi"
    r"|date limite d'envoi|fecha l[íi]mite de env[íi]o|einsendeschluss"
    # Dutch sections: "Schrijf vóór 1 mei 2020 naar de openbaar aanklager".
    r"|schrijf (?:v[óo]{2}r|uiterlijk)(?: de| op)?|stuur (?:je|uw) (?:brief|brieven|appel)"
    r" (?:v[óo]{2}r|uiterlijk)(?: de| op)?|(?:komt )?in actie (?:tot|v[óo]{2}r)|actie loopt tot"
    r"|(?:schrijf|stuur) (?:een |uw |je )?(?:brief|brieven|e-?mail|appel) v[óo]{2}r"
    # Italian and Portuguese sections: "Firmate entro il 15 novembre", "Scrivete entro il ...",
    # "Envie apelos até 10 de março de 2021", "Escreva até ...".
    r"|(?:firma(?:te)?|scriv(?:ete|i)|invia(?:te)?(?: (?:il tuo |gli |un )?appell[oi])?"
    r"|agisci|partecipa(?:te)?)\s+entro(?: il| l')?|entro e non oltre(?: il)?"
    r"|(?:envie|enviem|escreva|escrevam|assine|aja|ajam|atue)(?: (?:os |seus |o seu )?apelos?)?"
    r"\s+at[ée](?: (?:o dia|dia))?|prazo(?: para envio)?(?: de apelos)?"
    # Arabic: "يرجى التحرك في أسرع وقت ممكن حتى: 20 يونيو/حزيران 2024", "أرسلوا مناشداتكم قبل".
    r"|يرجى التحرك(?: في أسرع وقت ممكن)? (?:حتى|قبل)(?: تاريخ)?"
    r"|(?:يرجى )?(?:إرسال|أرسلوا) (?:ال)?مناشدات(?:كم)? قبل(?: تاريخ)?"
    # And each language's data file's words before the date.
    rf"|{alternatives('deadline')})\s*:?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
# Words that label a deadline only as a line of their own ("Deadline: 12 June", "Fecha límite:
# ..."): in a sentence, "jusqu'au 12 juin" or "bis zum 14. Juni" is a date in the story.
DEADLINE_LINE = re.compile(
    r"^(?:deadline|date limite(?: d'envoi)?|jusqu'au|fecha l[íi]mite|hasta el|antes del"
    r"|einsendeschluss|frist|bis zum|bis|uiterlijk|deadline appelli|scadenza|entro il|prazo"
    r"|at[ée])\s*:?\s*(?P<date>.{4,40})$",
    re.IGNORECASE,
)

# The line that comes before the officials' addresses.
WRITE_TO = re.compile(
    r"^(?:please\s+)?(?:write|send (?:your )?appeals)(?: to)?\s*:$"
    r"|^(?:please\s+)?send appeals\b.*\bto\s*:$|^appeals? to\s*:?$"
    r"|^envoy(?:ez|er) vos appels\b.*(?:à|a)\s*:$|^appels? (?:à|a)\s*:?$"
    r"|^env[íi]en (?:sus )?llamamientos\b.*\ba\s*:$|^llamamientos a\s*:?$"
    r"|^(?:bitte )?schreiben sie\b.*\ban\s*:$|^appelle? an\s*:?$|^(?:briefe|schreiben) an\s*:?$"
    r"|^(?:schrijf|stuur uw brief) (?:naar|aan)\s*:?$|^brieven? (?:naar|aan)\s*:?$"
    r"|^schrijf\b.*\b(?:naar|aan)\b.*:$"
    r"|^(?:scrivete|scrivi|inviate appelli|appell[oi]) (?:a|al|alla|ai|alle)\s*:?$"
    r"|^(?:escreva|escrevam|envie apelos|apelos) (?:a|ao|à|para)\s*:?$"
    # The International Secretariat's sheets in Italian and Portuguese: "INVIATE APPELLI PRIMA
    # DEL 4 SETTEMBRE 2012 A:", "ENVIE APELOS ANTES DE 4 DE SETEMBRO DE 2012 PARA:".
    r"|^inviate (?:i vostri |gli )?appelli\b.*\b(?:a|al|alla|ai|alle)\s*:$"
    r"|^envie (?:os seus |seus )?apelos\b.*\b(?:a|ao|à|para)\s*:$"
    rf"|^(?:{alternatives('write_to')})\s*:?$"
    r"|^contact(?:s| information| details)?\s*:?$"
    r"|^(?:please\s+)?contact\b.*\b(?:officials?|authorities)\b.*:$"
    # A sentence ending in where the letter goes: "Signez la lettre ... et envoyez-la à :",
    # "Print it and send it to:", "Firme la carta y envíela a:", "... und schicken Sie ihn an:".
    # A copy's line ("ENVÍEN COPIAS A:") is not one of these.
    r"|^(?!.*\b(?:cop(?:y|ies|ie|ia|ias)|kopien?)\b)(?:"
    r".*\b(?:envoy(?:ez|er)|adress(?:ez|er))(?:-(?:la|là|le|les))?\b.{0,30}\s(?:à|a)\s*:$"
    r"|.*\bsend (?:it|them|the letter|your (?:letter|appeal|message)s?)\s+to\s*:$"
    r"|.*\b(?:please )?write to\s*:$"
    r"|.*\benv[íi](?:e|en|a)(?:la|lo|las|los)?\b.{0,30}\sa\s*:$"
    r"|.*\b(?:senden|schicken) sie\b.{0,40}\san\s*:$)",
    re.IGNORECASE,
)
# "And Copy:", "COPIES TO:", "COPIES À :", "ENVÍEN COPIAS A:", "KOPIEN AN:", and the
# diplomatic representatives a copy goes to.
COPY = re.compile(
    r"^(?:and\s+)?(?:please\s+)?(?:also\s+)?(?:send\s+)?(?:also\s+)?cop(?:y|ies)"
    r"(?:\s+(?:to|of your appeals(?: to)?))?\b.*:?$"
    r"|^(?:et\s+)?(?:envoyez\s+)?(?:des\s+)?copies?\s+(?:à|a)\b.*$"
    r"|^(?:y\s+)?(?:env[íi]en\s+)?copias?\s+a\b.*$|^kopien?\s+an\b.*$"
    # "Sende eine Kopie an", "Schicken Sie bitte eine Kopie an", "Stuur een kopie naar",
    # "Inviate una copia a", "Envie cópias para".
    r"|^(?:bitte\s+)?(?:sende|senden sie|schicke|schicken sie)\s+(?:bitte\s+)?(?:auch\s+)?"
    r"(?:eine\s+)?kopien?\b.*$"
    r"|^(?:stuur\s+)?(?:ook\s+)?(?:een\s+)?kopie(?:[ëe]n)?\s+(?:naar|aan)\b.*$"
    r"|^(?:inviate\s+|invia\s+)?(?:anche\s+)?(?:una\s+)?copi[ae]\s+(?:a|al|alla|ai|per)\b.*$"
    r"|^(?:envie\s+)?(?:tamb[ée]m\s+)?c[óo]pias?\s+(?:a|ao|à|para)\b.*$"
    rf"|^(?:{alternatives('copy_to')})\b.*$"
    r"|^(?:and\s+)?(?:to\s+)?(?:the\s+)?diplomatic representatives?\b.*$",
    re.IGNORECASE,
)
# "Please write immediately in Arabic, English or your own language:" and its translations,
# and the sections' "Write to the President urging him to:": bullet points follow.
ASK_INTRO = re.compile(
    r"^(?:please\s+)?write\b.*\b(?:urg|call|ask|demand|immediately)\w*\b.*:$"
    r"|^recommended action\s*:.*$|^acci[óo]n recomendada\s*:.*$|^action recommand[ée]e\s*:.*$"
    r"|^(?:veuillez |merci d'|merci de )?[ée]cri(?:re|vez)\b.*:$"
    r"|^(?:por favor,?\s+)?escrib(?:an|e|id)\b.*:$"
    r"|^(?:bitte\s+)?schreiben sie\b.*:$|^(?:in )?(?:ihren|den) (?:appellen|schreiben)\b.*:$"
    # German sections: "HANDLUNGSBEDARF: BITTE SCHREIBEN SIE", "... MIT FOLGENDEN
    # FORDERUNGEN", "Amnesty fordert:"; Dutch "Wat kunt u doen?", Italian "Chiediamo di:".
    r"|^handlungsbedarf\b.*$|^.*\bmit (?:den )?folgenden forderungen\s*:?$"
    r"|^(?:amnesty (?:international )?fordert|forderungen)\s*:?$"
    r"|^(?:vraag|roep) (?:de |het )?.{0,60}\b(?:om|op)\s*:$|^(?:chiediamo|chiedete|chiedi)\b.*:$"
    r"|^(?:pe[çc]a|pe[çc]am|exija|exijam)\b.*:$"
    # Older German and Dutch sheets end the instruction with the clause the points finish:
    # "Schreiben Sie bitte Telefaxe, E-Mails oder Luftpostbriefe, in denen Sie", "Schrijf een
    # brief waarin u".
    r"|^.{0,200}\b(?:in denen sie|worin sie|waarin u|waarin je)\s*:?$"
    r"|^(?:scrivete|scrivi) (?:immediatamente|subito)\b.*:$"
    # A heading of its own before the asks, in each language's data file ("O que pedimos:").
    rf"|^(?:{alternatives('ask_heading')})\s*[:?]?$"
    r"|^escrevam? (?:imediatamente|j[áa])\b.*:$",
    re.IGNORECASE,
)
# Asks written as one sentence, with no colon and no bullets: "Please write immediately to the
# Minister calling on the authorities to release ... and to ensure ...", "Écrivez au ministre
# pour lui demander de ...", "Escriban al fiscal pidiéndole que ...", "Schreiben Sie an den
# Minister und fordern Sie ihn auf, ...". The asks are what follows the asking words.
ASK_SENTENCE = re.compile(
    r"^(?:please\s+)?(?:write|send (?:appeals|letters|emails)|appeal)\b[^.:]*?\b(?:urging"
    r"|calling (?:on|upon)|calling for|asking|demanding|to urge|to call (?:on|upon)|to ask"
    r"|to demand)\b\s*(?P<en>.+)$"
    r"|^(?:veuillez |merci d'|merci de )?(?:[ée]cri(?:re|vez)|envoyez)\b[^.:]*?\b(?:pour"
    r" (?:lui |leur )?(?:demander|exiger)|en (?:lui |leur )?demandant|en (?:l'|les )?exhortant"
    r"|afin de (?:lui |leur )?demander)\s+(?:instamment\s+)?(?P<fr>(?:de|d'|que)\b.+)$"
    r"|^(?:por favor,?\s+)?(?:escrib(?:an|e|id)|env[íi](?:en|a|ad))\b[^.:]*?\b"
    r"(?:pidi[ée]ndo(?:le|les)?|inst[áa]ndo(?:le|les)?(?: a)?|exigi[ée]ndo(?:le|les)?"
    r"|para (?:pedir|exigir)(?:le|les)?)"
    r"\s+(?P<es>(?:que|a que)\b.+)$"
    r"|^(?:bitte\s+)?schreiben sie\b[^.:]*?\bund (?:fordern|bitten) sie"
    r" (?:ihn|sie|die beh[öo]rden)?"
    r"\s*(?:dringend\s+)?(?:auf,?|darum,?)\s+(?P<de>.+)$",
    re.IGNORECASE | re.DOTALL,
)
# A heading that starts the action part: "TAKE ACTION", "Actúa:", "Agissez", "Handeln Sie".
TAKE_ACTION = re.compile(rf"^(?:{alternatives('take_action')})\b", re.IGNORECASE)
ADDITIONAL = re.compile(rf"^(?:{alternatives('additional')})\s*:?$", re.IGNORECASE)
URGENT_ACTION = re.compile(rf"^(?:{alternatives('urgent_action')})$", re.IGNORECASE)
# "SAMPLE LETTER", "MODEL LETTER", "Lettre type", "Carta modelo", "Musterbrief".
# A whole word, or its plural: "Musterbriefe" is a heading, not "Musterbrief" and a letter "e".
SAMPLE_LETTER = re.compile(
    rf"^(?:{alternatives('sample_letter')})(?:e|en|s|es)?(?!\w)\s*:?", re.IGNORECASE
)
# A letter's opening: "Dear Counselor,", "Monsieur le Ministre,", "Señor Fiscal General:",
# "Sehr geehrter Herr Minister,".
DEAR = re.compile(
    r"^(?:dear|monsieur|madame|mesdames|messieurs|excellence|se[ñn]or[a]?|se[ñn]ores"
    r"|estimad[oa]s?|excelent[íi]simo|excma?\.|sr\.|sra\.|sehr geehrte[rn]?|exzellenz"
    r"|your (?:excellency|majesty|highness)"
    # Arabic openings: "معالي النائب العام،", "سيادة الرئيس،", "صاحب الجلالة،".
    r"|معالي|سيادة|فخامة|سعادة|حضرة|صاحب (?:الجلالة|السمو|الفخامة)|السيد|السيدة|عزيزي)\b.{0,80}$",
    re.IGNORECASE,
)
CLOSING = re.compile(
    rf"^(?:{alternatives('closing')}"
    # Closings that go on with words of their own.
    r"|veuillez agr[ée]er\b.*|je vous prie d'agr[ée]er\b.*"
    r"|و?تفضلوا بقبول\b.*|مع (?:خالص|فائق) (?:التحية|الاحترام)\b.*)\s*[,.،]?$",
    re.IGNORECASE,
)
# A note's greeting to its readers ("Dear friends,", "Liebe Freundinnen und Freunde,").
GREETING = re.compile(rf"^(?:{alternatives('greeting')})\s*[,:!]?$", re.IGNORECASE)
# What the sheet asks readers to do, not where to write: never an address line.
INSTRUCTION = re.compile(
    r"^(?:\d+[.)]\s+)?(?:write a letter|click here|please take action|take action|sign|share"
    r"|tweet|call|let us know|report (?:back|your)|you can also|please check|please send"
    r"|please only|check with|due to|send (?:a|an|your)|use the|register|download"
    r"|[ée]crivez|envoyez|signez|partagez|escrib[ae]|env[íi]a|firma|comparte"
    r"|schreiben sie|unterschreiben|teilen sie|اكتبوا|وقّعوا|وقعوا|شاركوا)\b",
    re.IGNORECASE,
)
# Lines that belong to no part: the page's furniture and the sheets' standing advice.
BOILERPLATE = re.compile(
    r"^(?:please check with the amnesty office|you can also write in your own language"
    r"|post body|share this|print this|tags?:|related content|•\s*urgent action$"
    r"|date \d{4}-\d{2}-\d{2}\b"
    # A Swiss or German section's postage: "Port : Fr. 2.00 (courrier A)", "Porto: CHF 2.50".
    r"|port(?:o)?\s*:|(?:fr|chf|eur|€)\.?\s*\d+[.,]\d{2}\b"
    # A letter form's headings between the addressee and the letter: "INHALT" (the content).
    r"|inhalt$|contenu$|contenido$"
    # A photo's caption and credit: "Amnesty-Kundgebung vor dem Bundestag (23. November 2022)
    # © Amnesty International, Foto: ...".
    r"|.{0,300}©\s*\w[^©]{0,80}$"
    # A model letter's blanks for the writer: "ABSENDER (INKL. EIGENER ANSCHRIFT)", "DATUM",
    # "UNTERSCHRIFT".
    r"|absender\b.{0,40}$|datum$|unterschrift$"
    # A web page's furniture: donation banners, navigation, cookie and newsletter notices.
    r"|(?:donate|spenden sie|jetzt spenden|spenden|faire un don|doneer"
    r"|doe een gift|fai una donazione|doe agora)"
    r"(?: now| jetzt| maintenant| ahora| ora| nu)?\b.{0,60}$"
    r"|skip to (?:main )?content$|zum inhalt springen$|aller au contenu$|ir al contenido$"
    r"|(?:main )?menu$|men[üu]$|search$|suche$|rechercher$|buscar$|home$|accueil$|startseite$"
    r"|inicio$|toutes les (?:infos|actions)$|all (?:news|actions)$|alle (?:aktionen|news)$"
    r"|(?:we use )?cookies?\b.*$|newsletter\b.{0,80}$"
    r"|(?:subscribe|abonnieren|abonnez-vous)\b.{0,80}$"
    # A blog's post heading with the day's date only: "Urgent Action 1-20-11".
    r"|urgent action\s+\d{1,2}[-/]\d{1,2}[-/]\d{2,4}$"
    # Amnesty USA's mailing of a sheet, above the sheet: "- From Amnesty International USA",
    # "To learn about recent Urgent Action successes and updates, go to", its links, "For a
    # print-friendly version of this Urgent Action (PDF):", "Or take action online at:".
    r"|[-•–]?\s*from amnesty international usa$"
    r"|to (?:learn about recent urgent action successes|read the current urgent action"
    r" newsletter)\b.{0,60}$|for a print-friendly version of this urgent action\b.{0,12}$"
    r"|or take action online at:?$|https?://(?:www\.|takeaction\.)?amnestyusa\.org/\S*(?:\s+-+)?$"
    r"|-{5,}$|note: please write on behalf of .{0,200}$"
    # A section's name at the head of its pages: "Sektion der Bundesrepublik Deutschland".
    r"|(?:amnesty international[\s,–-]*)?(?:sektion der bundesrepublik deutschland"
    r"|(?:österreichische|schweizer) sektion|section (?:suisse|fran[çc]aise"
    r"|belge(?: francophone)?)|secci[óo]n espa[ñn]ola|sezione italiana|sec[çc][ãa]o portuguesa)$)",
    re.IGNORECASE,
)
# A labelled line of topics: "Issues: Death Penalty, Torture", a page's "Tags: Iran, Death
# Penalty", "Thèmes : peine de mort", "Temas: defensoras", "Themen: Folter".
THEMES = re.compile(rf"^(?:{alternatives('themes_label')})\s*:\s*(?P<value>.+)$", re.IGNORECASE)
PREFERRED_LANGUAGE = re.compile(
    r"^(?:preferred languages? to address (?:the )?targets?|langues? pr[ée]f[ée]r[ée]es?"
    r"(?: pour (?:s'adresser|écrire))?.*?|idiomas? preferidos?.*?|bevorzugte sprachen?.*?"
    r"|اللغة المفضلة.*?|اللغات المفضلة.*?)"
    r"\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
NAME_PRONOUN = re.compile(
    r"^(?:names? and pronouns?|nom et pronom|nombre y (?:pronombre|g[ée]nero gramatical preferido)"
    r"|name und pronomen|الاسم و(?:ضمير المخاطبة|الضمير))\s*:?\s*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
PREVIOUS = re.compile(
    r"^(?:links? to previous ua|lien vers l'au pr[ée]c[ée]dente|enlace a la au anterior)"
    r"\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# Words that make a sheet a follow-up of an earlier one.
FOLLOW_UP = re.compile(
    rf"\b(?:{alternatives('follow_up')})\b",
    re.IGNORECASE,
)
# "No further action is requested" and its translations: a follow-up that closes the case.
NO_FURTHER_ACTION = re.compile(
    r"\bno further action is (?:requested|required|needed)\b|\baucune action compl[ée]mentaire"
    r"|\bno se requieren m[áa]s acciones\b|\bkeine weiteren appelle\b"
    # "No further action is requested", "Diese Urgent Action ist beendet", "Weitere Appelle
    # sind nicht (mehr) nötig", "Deze Urgent Action is afgesloten", "Non sono necessarie
    # ulteriori azioni", "Não são necessárias mais ações", "Action terminée".
    r"|\bno further (?:appeals|action) (?:are|is) (?:requested|required|needed|necessary)\b"
    r"|\bno further action (?:is )?(?:requested|required|needed)\b"
    r"|\bthis urgent action (?:has )?(?:is )?(?:now )?(?:ended|closed)\b"
    r"|\bdiese (?:urgent action|eilaktion|ua) ist (?:beendet|abgeschlossen)\b"
    r"|\bweitere appelle sind (?:nicht|nicht mehr|derzeit nicht) (?:n[öo]tig|erforderlich)\b"
    r"|\bkeine weiteren (?:aktionen|schreiben|briefe)\b|\bbitte keine (?:appelle|briefe) mehr\b"
    r"|\bdeze (?:urgent action|actie) is (?:afgesloten|be[ëe]indigd|gestopt)\b"
    r"|\bverdere acties? (?:is|zijn) niet (?:meer )?nodig\b"
    r"|\bnon (?:sono|è) (?:pi[ùu] )?necessari[ae]? (?:ulteriori )?(?:azioni|appelli)\b"
    r"|\bl'azione urgente [èe] (?:conclusa|chiusa)\b"
    r"|\bn[ãa]o (?:s[ãa]o|[ée]) (?:mais )?necess[áa]ri[ao]s? (?:mais )?"
    r"(?:a[çc](?:[õo]es|[ãa]o)|apelos)\b"
    r"|\baction (?:urgente )?termin[ée]e\b|\bacci[óo]n (?:urgente )?(?:finalizada|cerrada)\b"
    rf"|\b(?:{alternatives('no_further_action')})\b"
    r"|لا (?:حاجة|داعي) (?:إلى|ل)(?:مزيد من )?(?:ال)?تحرك"
    r"|لا يلزم (?:اتخاذ )?(?:أي )?(?:إجراء|تحرك) (?:آخر|إضافي)",
    re.IGNORECASE,
)
