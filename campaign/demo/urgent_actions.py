"""The people of the two seed Urgent Actions (seeds 000 and 001), with their real targets, asks and sample letters."""

from __future__ import annotations

from campaign.cases.models import CaseStatus
from campaign.demo.officials import CUI_TIANKAI, MA_XINGRUI, SHAYIBAKE_DIRECTOR, WANG_JIANG
from campaign.demo.records import CaseData, EventTally, PersonData

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
