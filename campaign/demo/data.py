"""The demo content, taken from the seed documents kept in ``docs/seeds/`` (their sources are in its README).

Every person the seeds name as detained or at risk is a case. The two Urgent Actions (seeds 000
and 001) keep their real targets, asks and sample letters; the people in the three news reports
(seeds 002, 003 and 004) get the officials or offices the articles name, asks drawn from what
the articles report, and a story condensed from the article's own words. Contact details appear
only where a seed gives them. A person's status and dates are given relative to the day of
loading (``campaign.demo.loader`` turns them into dates), so the demo always has live deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.actions.models import ActionType
from campaign.cases.models import CaseStatus


@dataclass(frozen=True)
class TargetData:
    """An official or office; the same object in several cases is one reusable target."""

    name: str
    title: str | None = None
    organisation: str | None = None
    #: Lines separated by newlines, as on an envelope.
    address: str | None = None
    emails: tuple[str, ...] = ()
    faxes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    twitter: str | None = None
    salutation: str | None = None
    preferred_language: str | None = None


@dataclass(frozen=True)
class PersonData:
    name: str
    native_name: str | None = None
    pronouns: str | None = None


@dataclass(frozen=True)
class EventTally:
    """A letter-writing event's total, recorded by an organiser as one report."""

    group_code: str
    country: str
    count: int
    days_ago: int
    action_type: ActionType = ActionType.LETTER


@dataclass(frozen=True)
class Closure:
    """How and when a case closed."""

    outcome: str
    days_ago: int
    text: str


@dataclass(frozen=True)
class Extension:
    """A deadline extension: the deadline moved from ``old_in_days`` to the case's deadline."""

    old_in_days: int
    days_ago: int
    text: str


@dataclass(frozen=True)
class CaseData:
    slug: str
    #: Which seed document the case comes from.
    seed: str
    headline: str
    summary: str
    people: tuple[PersonData, ...]
    story: str
    asks: tuple[str, ...]
    #: The English model letter after the salutation line.
    letter: str
    targets: tuple[TargetData, ...]
    copies: tuple[TargetData, ...] = ()
    additional_information: str = ""
    ua_number: str | None = None
    ai_index: str | None = None
    preferred_languages: tuple[str, ...] = ()
    status: CaseStatus = CaseStatus.ACTIVE
    #: Days before the day of loading; None for a draft not yet issued.
    issued_days_ago: int | None = None
    #: Days after the day of loading (negative: in the past); None when not set.
    deadline_in_days: int | None = None
    goal: int | None = None
    closure: Closure | None = None
    extension: Extension | None = None
    #: How many individual supporter reports the demo invents for the case.
    report_count: int = 0
    events: tuple[EventTally, ...] = ()


# Targets. Only what the seeds say; the news reports give names and offices, not addresses.

WANG_JIANG = TargetData(
    name="Wang Jiang",
    title="Director",
    organisation="Prison Administration Bureau of Xinjiang Uyghur Autonomous Region",
    address="No 380, Huanghe lu, Urumqi\n830000, Xinjiang Uyghur Autonomous Region\nPeople's Republic of China",
    salutation="Dear Director Wang",
)

CUI_TIANKAI = TargetData(
    name="Cui Tiankai",
    title="Ambassador",
    organisation="Embassy of the People's Republic of China",
    address="3505 International Place NW\nWashington DC 20008",
    emails=("chinaembpress_us@mfa.gov.cn",),
    faxes=("202 495 2138",),
    phones=("202 495 2266",),
    salutation="Dear Ambassador",
)

MA_XINGRUI = TargetData(
    name="Ma Xingrui",
    title="Party Secretary of Xinjiang",
    address=(
        "479 Zhongshan Lu, Tianshan Qu, Urumqi\n830041, Xinjiang Uyghur Autonomous Region\nPeople's Republic of China"
    ),
    salutation="Dear Secretary",
    preferred_language="zh",
)

#: The UA copies in the branch's director without naming them; a target needs a name, so the title serves.
SHAYIBAKE_DIRECTOR = TargetData(
    name="Director",
    organisation="Urumqi Public Security Bureau Shayibake Branch",
    address="4 Jingyi Lu, Urumqi\n830000, Xinjiang Uyghur Autonomous Region",
    preferred_language="zh",
)

ZHANG_XIAO = TargetData(
    name="Zhang Xiao",
    title="Ambassador",
    organisation="Embassy of the People's Republic of China in Kazakhstan",
    salutation="Dear Ambassador",
)

GU_MING = TargetData(
    name="Gu Ming",
    organisation="Embassy of the People's Republic of China in Kazakhstan",
    salutation="Dear Gu Ming",
)

DARKHAN_DILMANOV = TargetData(
    name="Darkhan Dilmanov",
    title="Deputy Chief",
    organisation="National Security Committee of Kazakhstan",
    salutation="Dear Deputy Chief Dilmanov",
)

NILKA_COUNTY = TargetData(
    name="Nilka County authorities",
    organisation="Nilka County, Xinjiang Uyghur Autonomous Region",
)


# Cases.

NAGYZ_MUHAMMED = CaseData(
    slug="nagyz-muhammed",
    seed="000_898aa6a96d42edc9.txt",
    ua_number="63.20",
    headline="Kazakh writer sentenced in secret trial",
    summary=(
        "Kazakh writer Nagyz Muhammed was arrested in Xinjiang in March 2018 and reportedly sentenced "
        "to seven years for “separatism” in a secret trial."
    ),
    people=(PersonData("Nagyz Muhammed"),),
    story="""\
Kazakh writer **Nagyz Muhammed** was arrested in March 2018 in Xinjiang, China, after his last visit to
Kazakhstan. His family learned through word of mouth that, because of a dinner he had with friends on
Kazakhstan Independence Day about 10 years ago, he was convicted in a secret trial on charges of
“separatism” and sentenced to seven years in prison.

Nagyz Muhammed worked as a writer in Altay’s State Intangible Cultural Heritage Office in Xinjiang and is a
member of the Xinjiang Writers Association. In early 2018 he travelled to Almaty, Kazakhstan, to stay with
relatives after undergoing heart surgery in Urumqi. In March 2018 a colleague in China asked him to get back
to work urgently. Returning to Altay later that month, he was summoned to the local police station and
questioned about his last visit to Kazakhstan.

In December 2018 his family was told by a source that, as a result of being tortured during an
interrogation, his health had deteriorated so much that he was sent to a “transformation-through-education”
center, and then to a detention center once his condition improved. The family received official notification
of his arrest only in early 2019, and no official information since. In April 2020 a source told them of his
conviction and sentence; the trial was reportedly held in secret and he was not allowed a lawyer of his choice.

No contact has been made with him for more than two years and, without official information about his
whereabouts or alleged trial and conviction, there are grave concerns for his well-being.
""",
    asks=(
        "Disclose Nagyz Muhammed’s whereabouts",
        "Allow him access to his family and a lawyer of his choice",
        "Ensure he is not subjected to torture and other ill-treatment",
        "Release Nagyz Muhammed immediately and unconditionally, unless there is sufficient, credible and "
        "admissible evidence that he committed an internationally recognized offense and is granted a fair "
        "trial in line with international standards",
    ),
    letter="""\
I write to express my concern for Nagyz Muhammed, a Kazakh who worked as a writer in Altay’s State Intangible Cultural Heritage Office in Xinjiang. He is also a member of the Xinjiang Writers Association.

In early 2018, Nagyz Muhammed travelled to Almaty, Kazakhstan, to stay with relatives after undergoing heart surgery in Urumqi. In March 2018, his colleague in China asked him to get back to work urgently. Returning to Altay later that month, Nagyz Muhammed was summoned to the local police station and questioned about his last visit to Kazakhstan. No contact has been made with him since.

In December 2018 his family was told by a source that, as a result of being tortured during an interrogation, Nagyz Muhammed’s health had deteriorated so significantly that he was sent to a “transformation-through-education” center. His family members learned from the same source that he was sent to a detention center once his condition improved.

After nearly a year of uncertainty, Nagyz Muhammed’s family only received official notification about his arrest in early 2019. No additional official information has since been provided. His family were told by a source in April 2020 that Nagyz Muhammed had been convicted of “separatism” and sentenced to seven years’ imprisonment in connection with a dinner he attended with friends on Kazakhstan Independence Day about a decade ago. I am deeply concerned about reports that the trial was conducted in secret and that Nagyz Muhammed was not allowed access to a lawyer of his choice.

I call on you to disclose Nagyz Muhammed’s whereabouts, allow him access to his family and a lawyer of his choice, and ensure he is not subjected to torture and other ill-treatment; and release Nagyz Muhammed immediately and unconditionally, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offense and is granted a fair trial in line with international standards.

Yours sincerely,
""",
    targets=(WANG_JIANG, CUI_TIANKAI),
    status=CaseStatus.ACTIVE,
    issued_days_ago=34,
    deadline_in_days=19,
    goal=500,
    report_count=95,
    events=(EventTally("toronto-writers-circle", "CA", 160, days_ago=9),),
)

ZHANARGUL_ZHUMATAI = CaseData(
    slug="zhanargul-zhumatai",
    seed="001_79ae5176d7ec0211.txt",
    headline="Ethnic Kazakh artist at risk of torture",
    summary=(
        "Zhanargul Zhumatai, an ethnic Kazakh journalist and artist, was taken from her mother’s house in "
        "Urumqi by state security police and is held without access to her family or a lawyer."
    ),
    people=(PersonData("Zhanargul Zhumatai", native_name="加娜古丽·朱马太", pronouns="she/her"),),
    story="""\
**Zhanargul Zhumatai** (加娜古丽·朱马太), an ethnic Kazakh journalist and artist, was taken away from her
mother’s house in Urumqi, Xinjiang, on 10 February. The state security police detained her after she
communicated with people abroad and spoke out for the land rights of Kazakh herding communities. Five weeks
earlier the police had urged her to check herself into a psychiatric facility simply for communicating with
people abroad.

Zhumatai had previously been detained at the Dabancheng Vocational Training Center for two years and 23 days,
simply for purchasing a mobile phone in Kazakhstan that came with pre-installed Facebook and Instagram and for
having travelled to Kazakhstan. In the internment camp she was reportedly shackled and handcuffed and developed
heart problems because of a lack of medical care.

She and her family were threatened several times after she wrote letters about corruption among some local
authorities, including to the Xinjiang Legislative Office and the Secretary of the Party Committee of Xinjiang,
and to local authorities about her communities’ land rights.

There is no information about the charges against her or the conditions in which she is held. Without access
to her family and a lawyer of her choice, she remains at grave risk of torture and other ill-treatment.
""",
    additional_information="""\
Zhanargul Zhumatai, a 47-year-old ethnic Kazakh woman, lives at her mother’s house in Urumqi. According to her
profile in the Xinjiang victims database, she first came to Kazakhstan in 1999 to study at Al-Farabi Kazakh
National University, then worked as a journalist, including for the state-run Kazakhstan channel, and set up her
own arts company. In 2008 she returned to China and organised exhibitions and events to preserve Kazakh culture,
for which she has received several awards. She has the right to reside in Kazakhstan.

She also advocated for the rights of Kazakh shepherds in Xinjiang, which led to repeated harassment by Chinese
authorities unhappy with her speaking against the government’s appropriation of herding communities’ lands.
She was taken to Dabancheng Vocational Training Center on 2 March 2018, where she was shackled, handcuffed and
beaten without access to adequate medical care.

Since 2017, under the guise of a campaign against “terrorism” and “religious extremism”, the government of
China has carried out massive and systematic abuses against Muslims living in Xinjiang; over a million people
are estimated to have been arbitrarily detained in internment camps. In August 2022 the OHCHR reported that the
arbitrary and discriminatory detention of Uyghurs, Kazakhs and other predominantly Muslim groups in Xinjiang may
constitute international crimes, in particular crimes against humanity.
""",
    asks=(
        "Immediately release Zhanargul Zhumatai, unless there is sufficient, credible and admissible evidence "
        "that she has committed an internationally recognized offence",
        "Pending her release, allow her regular access to her family and a lawyer of her choice, and ensure she "
        "is not subjected to torture and other ill-treatment",
        "Pending her release, ensure that she has access to adequate medical care",
    ),
    letter="""\
I am writing to express my concern for Zhanargul Zhumatai (加娜古丽·朱马太), who is an ethnic Kazakh artist, musician, and journalist. Zhumatai was detained by state security police from the Shayibak branch of the Urumqi police department at her mother’s house on 10 February 2023, five weeks after the police urged her to check herself into a psychiatric facility simply for communicating with people abroad.

Zhumatai had previously been detained at the Dabancheng Vocational Training Center for two years and 23 days simply for purchasing a mobile phone in Kazakhstan that came with pre-installed Facebook and Instagram and having travelled to Kazakhstan. During her detention in the internment camp, she was reportedly shackled and handcuffed and developed some heart problems due to lack of medical care.

It is distressing to learn that Zhumatai and her family were threatened multiple times after she had written several letters, including to Xinjiang Uyghur Autonomous Region (Xinjiang) Legislative Office and the Secretary of the Party Committee of Xinjiang, about corruption among some local authorities and had written to local authorities about her communities’ land rights.

With no information regarding the charges against Zhanargul Zhumatai or the conditions under which she has been held, and without access to her family and a lawyer of her choice, I am deeply concerned about her wellbeing.

I therefore urge you to:

- Immediately release Zhanargul Zhumatai, unless there is sufficient, credible and admissible evidence that she has committed an internationally recognized offence;
- Pending her release, allow her regular access to her family and a lawyer of her choice, and ensure she is not subjected to torture and other ill-treatment;
- Pending her release, ensure that she has access to adequate medical care.

Yours sincerely,
""",
    targets=(MA_XINGRUI,),
    copies=(SHAYIBAKE_DIRECTOR,),
    preferred_languages=("zh", "en"),
    status=CaseStatus.ACTIVE,
    issued_days_ago=40,
    deadline_in_days=2,
    goal=1000,
    report_count=130,
    events=(
        EventTally("almaty-school-12", "KZ", 240, days_ago=6),
        EventTally("berlin-group-21", "DE", 115, days_ago=13),
    ),
)

ADILGAZY_MUQAI = CaseData(
    slug="adilgazy-muqai",
    seed="002_a9a780f8c189dde3.txt",
    headline="Retired oil worker jailed for nine years after a visit to Xinjiang",
    summary=(
        "Adilgazy Muqai, who lived in Kazakhstan, disappeared on a visit to Xinjiang in 2017; three years "
        "later China’s ambassador said he had been sentenced to nine years for “extremism”."
    ),
    people=(PersonData("Adilgazy Muqai"),),
    story="""\
**Adilgazy Muqai**, a 47-year-old retired oil worker and ethnic Kazakh, vanished during a 2017 visit to
Xinjiang, northwestern China. He had the right of residence in Kazakhstan, where he had moved with his wife,
Bikamal Kaken, after hearing reports that Xinjiang authorities were forcing women from minority groups to have
abortions; she was pregnant with their youngest child at the time.

In May 2017 he was lured back to his native region by his former employers: the company pension his family
lived on could be cancelled if he failed to attend a meeting, they said. His wife heard that he had fallen
victim to the network of detention facilities in Xinjiang. Three agonising years later, the news came from
China’s Ambassador to Kazakhstan, Zhang Xiao, who told a state-owned news outlet that Adilgazy Muqai had been
sentenced to nine years in prison on extremism charges, and dismissed his wife’s account as “full of lies”.

Bikamal Kaken sews clothes and accepts charity to pay for a studio apartment in Uzynagash, about 60km from
Almaty, where she is raising their two young daughters. She insists her husband is innocent: “His only crime
is his Kazakh identity.”

*Source: Caravanserai and AFP.*
""",
    asks=(
        "Disclose where Adilgazy Muqai is held, the charges against him and the court’s judgment",
        "Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not "
        "subjected to torture and other ill-treatment",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence and he is granted a fair trial in line with international standards",
    ),
    letter="""\
I am writing to express my concern for Adilgazy Muqai, an ethnic Kazakh and retired oil worker who had the right of residence in Kazakhstan, where his wife and children live.

In May 2017 Adilgazy Muqai travelled back to Xinjiang after his former employers said that the company pension his family lived on could be cancelled if he failed to attend a meeting. He did not return. Three years later his family learned from an interview given by China’s Ambassador to Kazakhstan that he had been sentenced to nine years in prison on extremism charges. His wife insists that he is innocent.

I urge you to:

- Disclose where Adilgazy Muqai is held, the charges against him and the court’s judgment;
- Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not subjected to torture and other ill-treatment;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence and he is granted a fair trial in line with international standards.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    status=CaseStatus.CLOSED,
    issued_days_ago=58,
    deadline_in_days=-12,
    closure=Closure(
        outcome="sentenced",
        days_ago=8,
        text=(
            "Closed: China’s Ambassador to Kazakhstan stated that Adilgazy Muqai was sentenced to nine years "
            "in prison on extremism charges."
        ),
    ),
    report_count=55,
)

BAIMURAT_NAURYZBEK = CaseData(
    slug="baimurat-nauryzbek",
    seed="002_a9a780f8c189dde3.txt",
    headline="Young Kazakh jailed for ten years over internet posts",
    summary=(
        "Baimurat Nauryzbek, 30, was sentenced to ten years for “inciting racial hatred” over an internet forum "
        "post he allegedly wrote in 2012; his brother was warned to stop protesting."
    ),
    people=(PersonData("Baimurat Nauryzbek"),),
    story="""\
**Baimurat Nauryzbek**, 30, was interned in one of Xinjiang’s “training” centres. His brother, Baibolat
Kunbolat, recorded testimony with the Atajurt rights group and wrote letters of appeal to the Kazakh government,
and picketed the Chinese consulate in Almaty to demand his freedom.

In February, Gu Ming, a member of the Chinese mission in Kazakhstan, confirmed to Kunbolat that his brother had
been sentenced to ten years for inciting racial hatred. He had been convicted in 2018 over an internet forum
post that he allegedly wrote in 2012 and over other posts, the diplomat said.

Gu Ming told Kunbolat that the embassy would “engage with the Kazakhstan government to have action taken
against you” if he continued his protests, which Gu said could negatively affect Nauryzbek’s “reform”.

*Source: Caravanserai and AFP.*
""",
    asks=(
        "Disclose where Baimurat Nauryzbek is held, the charges against him and the court’s judgment",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence and he is granted a fair trial in line with international standards",
        "Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not "
        "subjected to torture and other ill-treatment",
        "Stop threatening his brother, Baibolat Kunbolat, for peacefully campaigning for him",
    ),
    letter="""\
I am writing to express my concern for Baimurat Nauryzbek, a 30-year-old ethnic Kazakh held in Xinjiang.

A member of the Chinese mission in Kazakhstan told his brother, Baibolat Kunbolat, that Baimurat Nauryzbek was convicted in 2018 of inciting racial hatred and sentenced to ten years, over an internet forum post he allegedly wrote in 2012 and other posts. His brother was also told that the embassy would ask the Kazakhstan government to take action against him if he continued to protest peacefully for his brother.

I urge you to:

- Disclose where Baimurat Nauryzbek is held, the charges against him and the court’s judgment;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence and he is granted a fair trial in line with international standards;
- Allow him regular contact with his family and access to a lawyer of his choice, and ensure he is not subjected to torture and other ill-treatment;
- Stop threatening his brother, Baibolat Kunbolat, for peacefully campaigning for him.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    copies=(GU_MING,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=28,
    deadline_in_days=33,
    extension=Extension(old_in_days=12, days_ago=5, text="Deadline extended: the appeal stays open."),
    goal=300,
    report_count=60,
)

_DEPORTATION_ASKS = (
    "Halt the deportation of {name} to China, where he would be at real risk of torture and other serious "
    "human rights violations",
    "Respect his status as an asylum-seeker and decide his asylum claim in a fair procedure",
    "Do not penalise him for crossing the border irregularly to seek protection",
)

_DEPORTATION_LETTER = """\
I am writing to express my concern for {name}, an ethnic Kazakh from Xinjiang, China, who is held in pretrial detention in Kazakhstan for illegally crossing the Chinese-Kazakh border. He was granted asylum-seeker status in October, yet the National Security Committee has said that he will be deported to China.

{detail}

I urge you to:

- Halt the deportation of {name} to China, where he would be at real risk of torture and other serious human rights violations;
- Respect his status as an asylum-seeker and decide his asylum claim in a fair procedure;
- Do not penalise him for crossing the border irregularly to seek protection.

Yours sincerely,
"""

_DEPORTATION_STORY = """\
**{name}**, an ethnic Kazakh from China’s Xinjiang region, is in pretrial detention in Kazakhstan for
illegally crossing the Chinese-Kazakh border, together with {other}. The two men were granted asylum-seeker
status in October. Darkhan Dilmanov, deputy chief of Kazakhstan’s National Security Committee, has said that
they will be deported to China.

{detail}

Kazakh opposition activists told reporters in Almaty on December 9 that the two men will “definitely” face
torture and possible death if handed over to Beijing, and called on the authorities to halt the deportation.

*Source: RFE/RL’s Kazakh Service.*
"""

MURAGER_ALIMULY = CaseData(
    slug="murager-alimuly",
    seed="003_eaceda73fd4ce973.txt",
    headline="Asylum-seeker faces deportation to China",
    summary=(
        "Murager Alimuly, an ethnic Kazakh asylum-seeker from Xinjiang, faces deportation from Kazakhstan to China."
    ),
    people=(PersonData("Murager Alimuly"),),
    story=_DEPORTATION_STORY.format(
        name="Murager Alimuly",
        other="Qaster Musakhanuly",
        detail=(
            "Before their arrest, the two held a news conference in Almaty, where they said that Murager Alimuly\n"
            "had been subjected to persecution in Xinjiang."
        ),
    ),
    asks=tuple(ask.format(name="Murager Alimuly") for ask in _DEPORTATION_ASKS),
    letter=_DEPORTATION_LETTER.format(
        name="Murager Alimuly",
        detail="Before his arrest, Murager Alimuly told reporters in Almaty that he had been persecuted in Xinjiang.",
    ),
    targets=(DARKHAN_DILMANOV,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=21,
    deadline_in_days=6,
    report_count=45,
)

QASTER_MUSAKHANULY = CaseData(
    slug="qaster-musakhanuly",
    seed="003_eaceda73fd4ce973.txt",
    headline="Former camp detainee faces deportation to China",
    summary=(
        "Qaster Musakhanuly, an ethnic Kazakh asylum-seeker who spent several years in a “reeducation camp” in "
        "Xinjiang, faces deportation from Kazakhstan to China."
    ),
    people=(PersonData("Qaster Musakhanuly"),),
    story=_DEPORTATION_STORY.format(
        name="Qaster Musakhanuly",
        other="Murager Alimuly",
        detail=(
            "Before their arrest, the two held a news conference in Almaty, where they said that Qaster\n"
            "Musakhanuly had spent several years in a so-called “reeducation camp” in Xinjiang."
        ),
    ),
    asks=tuple(ask.format(name="Qaster Musakhanuly") for ask in _DEPORTATION_ASKS),
    letter=_DEPORTATION_LETTER.format(
        name="Qaster Musakhanuly",
        detail=(
            "Before his arrest, Qaster Musakhanuly told reporters in Almaty that he had spent several years "
            "in a so-called “reeducation camp” in Xinjiang."
        ),
    ),
    targets=(DARKHAN_DILMANOV,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=21,
    deadline_in_days=6,
    report_count=40,
)

ARZEGUL_HALAMBEK = CaseData(
    slug="arzegul-halambek",
    seed="004_d86a096bc6c4d716.txt",
    headline="Mother of five held in Xinjiang, kept from her family",
    summary=(
        "Arzegul Halambek went back to Nilka County in Xinjiang when told her household registration would be "
        "erased; she was put under house arrest, her passport taken, and has not been allowed to return."
    ),
    people=(PersonData("Arzegul Halambek"),),
    story="""\
**Arzegul Halambek** immigrated to Kazakhstan with her husband, Junisbay Nasilbek, in 2008. In January 2018
the authorities in Nilka County, Xinjiang, sent her a notification that her household registration would be
erased unless she returned to Nilka County.

When she arrived, she was placed under house arrest and her passport was confiscated. The police questioned
her thoroughly, asking why she had moved to Kazakhstan, how long she had been there, and who she had met with.
She has not been allowed to return.

Her husband, now 66, takes care of their five children alone in Kazakhstan, sending them to school, cooking,
doing all the household chores, and herding. “My family is separated,” he said. “We never imagined going
through torture and humiliation for returning to China.”

*Source: ChinaAid.*
""",
    additional_information="""\
In April 2018 the Chinese embassy in Kazakhstan tried to arrange a private meeting with the families of people
detained in Xinjiang’s “political training centers”, first at a hotel in Almaty and then at the embassy itself,
with attendance restricted and reporters barred. Families say their petitions to the embassy about detained
relatives have gone unanswered.
""",
    asks=(
        "Lift the house arrest on Arzegul Halambek and return her passport",
        "Allow her to return to her husband and five children in Kazakhstan",
        "Ensure she is not subjected to torture and other ill-treatment",
    ),
    letter="""\
I am writing to express my concern for Arzegul Halambek, who has lived in Kazakhstan with her husband, Junisbay Nasilbek, since 2008.

In January 2018 the authorities in Nilka County told her that her household registration would be erased unless she returned to Nilka County. When she arrived, she was placed under house arrest, her passport was confiscated and the police questioned her about her life in Kazakhstan. She has not been allowed to return, and her husband is caring for their five children alone.

I urge you to:

- Lift the house arrest on Arzegul Halambek and return her passport;
- Allow her to return to her husband and five children in Kazakhstan;
- Ensure she is not subjected to torture and other ill-treatment.

Yours sincerely,
""",
    targets=(NILKA_COUNTY,),
    copies=(ZHANG_XIAO,),
    status=CaseStatus.ACTIVE,
    issued_days_ago=25,
    deadline_in_days=40,
    report_count=35,
)

#: The seed does not give his name; the case stays a draft until the organisers learn it.
JENGISNEK_HUSBAND = CaseData(
    slug="husband-of-sara-jengisnek",
    seed="004_d86a096bc6c4d716.txt",
    headline="Father of three held in a “political training center” since 2017",
    summary=(
        "Sara Jengisnek’s husband went back to China on July 30, 2017 and never returned; she heard he was sent "
        "to a “political training center”."
    ),
    people=(PersonData("Husband of Sara Jengisnek (name not yet known)"),),
    story="""\
Sara Jengisnek and her husband immigrated to Kazakhstan in October 2015. Her husband went back to China on
July 30, 2017, and never returned home. “I heard that he’s been sent to a ‘political training center’,” she
said.

She takes care of their three children on her own. Their son has diabetes and has to inject insulin every day.
“We need money for groceries and medication. Please, help us reunite with my husband.”

*Source: ChinaAid.*
""",
    asks=(
        "Disclose where Sara Jengisnek’s husband is held and why",
        "Release him, unless there is sufficient, credible and admissible evidence that he committed an "
        "internationally recognized offence",
        "Allow him regular contact with his wife and three children in Kazakhstan",
    ),
    letter="""\
I am writing to express my concern for the husband of Sara Jengisnek. The couple immigrated to Kazakhstan in October 2015; he went back to China on July 30, 2017, and never returned home. His wife has heard that he was sent to a “political training center”, and she is caring for their three children alone.

I urge you to:

- Disclose where he is held and why;
- Release him, unless there is sufficient, credible and admissible evidence that he committed an internationally recognized offence;
- Allow him regular contact with his wife and three children in Kazakhstan.

Yours sincerely,
""",
    targets=(ZHANG_XIAO,),
    status=CaseStatus.DRAFT,
)

DEMO_CASES: tuple[CaseData, ...] = (
    ZHANARGUL_ZHUMATAI,
    NAGYZ_MUHAMMED,
    BAIMURAT_NAURYZBEK,
    MURAGER_ALIMULY,
    QASTER_MUSAKHANULY,
    ARZEGUL_HALAMBEK,
    ADILGAZY_MUQAI,
    JENGISNEK_HUSBAND,
)

#: Where demo supporters report from, with a realistic skew: most from a few countries.
COUNTRY_WEIGHTS: dict[str, int] = {
    "DE": 16, "GB": 14, "US": 12, "FR": 9, "NL": 8, "KZ": 7, "CA": 6, "AU": 5, "BE": 4, "CH": 4,
    "SE": 4, "ES": 3, "IT": 3, "AT": 3, "DK": 2, "NO": 2, "IE": 2, "PL": 2, "NZ": 2, "JP": 2,
    "FI": 1, "PT": 1, "CZ": 1, "KR": 1, "TW": 1, "MX": 1, "BR": 1, "ZA": 1, "TR": 1, "KG": 1,
}  # fmt: skip

ACTION_TYPE_WEIGHTS: dict[ActionType, int] = {
    ActionType.LETTER: 30,
    ActionType.EMAIL: 28,
    ActionType.TWEET: 14,
    ActionType.CALL: 8,
    ActionType.FAX: 6,
    ActionType.OTHER: 6,
}

#: A few supporters give a name (never an email) so the console has something to show.
SUPPORTER_NAMES: tuple[str, ...] = ("Anna K.", "Jonas B.", "Marie L.", "Tom W.", "Sofia R.", "Lukas M.")
