"""Demo content for `manage.py load_demo`: real places and officials, invented releases.

The 2021-10-07 release carries the facts of a real release from the office's old
board (date, venue, the seven cities, the governor and mayors, 201 hits); its
sentences, like every other release here, are written for this demo.
"""

import datetime
import io
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

SEOUL = ZoneInfo("Asia/Seoul")

PROVINCE = ("Gyeonggi Province", "경기도", "gyeonggi")

CITIES = [
    ("Suwon", "수원시"), ("Seongnam", "성남시"), ("Uijeongbu", "의정부시"),
    ("Anyang", "안양시"), ("Bucheon", "부천시"), ("Gwangmyeong", "광명시"),
    ("Pyeongtaek", "평택시"), ("Dongducheon", "동두천시"), ("Ansan", "안산시"),
    ("Goyang", "고양시"), ("Gwacheon", "과천시"), ("Guri", "구리시"),
    ("Namyangju", "남양주시"), ("Osan", "오산시"), ("Siheung", "시흥시"),
    ("Gunpo", "군포시"), ("Uiwang", "의왕시"), ("Hanam", "하남시"),
    ("Yongin", "용인시"), ("Paju", "파주시"), ("Icheon", "이천시"),
    ("Anseong", "안성시"), ("Gimpo", "김포시"), ("Hwaseong", "화성시"),
    ("Gwangju", "광주시"), ("Yangju", "양주시"), ("Pocheon", "포천시"),
    ("Yeoju", "여주시"),
]  # fmt: skip
COUNTIES = [("Yeoncheon", "연천군"), ("Gapyeong", "가평군"), ("Yangpyeong", "양평군")]

DEPARTMENTS = [
    ("Spokesperson's Office", "대변인실", "spokesperson"),
    ("Future Growth Policy Office", "미래성장정책관", "future-growth"),
    ("Transportation Bureau", "교통국", "transportation"),
    ("Welfare Bureau", "복지국", "welfare"),
    ("Climate and Environment Bureau", "기후환경에너지국", "climate-environment"),
    ("Agriculture and Maritime Bureau", "농정해양국", "agriculture-maritime"),
]
COMPANIES = [("Samsung Electronics", "삼성전자", "samsung-electronics", "company")]
ALLIANCES = [
    (
        "Future Smart Belt Alliance",
        "미래스마트벨트 협의체",
        "future-smart-belt",
        "alliance",
    )
]

TOPICS = [
    ("Economy and industry", "경제·산업", "economy"),
    ("Semiconductors", "반도체", "semiconductors"),
    ("Transport", "교통", "transport"),
    ("Welfare", "복지", "welfare"),
    ("Environment", "환경", "environment"),
    ("Agriculture", "농업", "agriculture"),
    ("Culture and tourism", "문화·관광", "culture"),
    ("Housing", "주택", "housing"),
    ("Safety", "안전", "safety"),
    ("Youth", "청년", "youth"),
]

# The contact named on every demo release, in its language.
CONTACT_NAMES = {"en": "Press Office duty desk", "ko": "대변인실 당직 담당"}

LOCAL_TITLES = {"Governor": "도지사", "Mayor": "시장", "Vice President": "부사장"}

# (name, local name, slug, title, place slug or organization slug, start, end)
OFFICIALS = [
    ("Lee Jaemyung", "이재명", "lee-jaemyung", "Governor", "gyeonggi",
     datetime.date(2018, 7, 1), datetime.date(2021, 10, 25)),
    ("Kim Dong-yeon", "김동연", "kim-dong-yeon", "Governor", "gyeonggi",
     datetime.date(2022, 7, 1), None),
    ("Yeom Tae-yeong", "염태영", "yeom-tae-yeong", "Mayor", "suwon",
     datetime.date(2010, 7, 1), datetime.date(2022, 6, 30)),
    ("Baek Gun-gi", "백군기", "baek-gun-gi", "Mayor", "yongin",
     datetime.date(2018, 7, 1), datetime.date(2022, 6, 30)),
    ("Eun Su-mi", "은수미", "eun-su-mi", "Mayor", "seongnam",
     datetime.date(2018, 7, 1), datetime.date(2022, 6, 30)),
    ("Seo Cheol-mo", "서철모", "seo-cheol-mo", "Mayor", "hwaseong",
     datetime.date(2018, 7, 1), datetime.date(2022, 6, 30)),
    ("Jeong Jang-seon", "정장선", "jeong-jang-seon", "Mayor", "pyeongtaek",
     datetime.date(2018, 7, 1), None),
    ("Eom Tae-jun", "엄태준", "eom-tae-jun", "Mayor", "icheon",
     datetime.date(2018, 7, 1), datetime.date(2022, 6, 30)),
    ("Kim Bo-ra", "김보라", "kim-bo-ra", "Mayor", "anseong",
     datetime.date(2019, 4, 4), None),
    ("Park Chan-hoon", "박찬훈", "park-chan-hoon", "Vice President",
     "samsung-electronics", datetime.date(2020, 12, 1), None),
]  # fmt: skip

SMART_BELT_CITIES = ["suwon", "yongin", "seongnam", "hwaseong", "pyeongtaek", "icheon",
                     "anseong"]  # fmt: skip

REFERENCE_RELEASE = {
    "slug": "smart-belt-hub-of-future-industries",
    "title": (
        "Lee Jaemyung: \"Southern Gyeonggi's Smart Belt must grow into the home "
        "of tomorrow's industries\""
    ),
    "published_at": datetime.datetime(2021, 10, 7, 16, 0, tzinfo=SEOUL),
    "summary": (
        "○ Governor Lee Jaemyung spoke at the Future Smart Belt strategy briefing "
        "on 7 October\n"
        "– He pledged the provincial government's full backing for the seven "
        "alliance cities and their companies\n"
        "– The seven cities presented a joint ordinance and their first strategies"
    ),
    "body": (
        "Governor Lee Jaemyung told mayors and industry leaders on Thursday "
        "afternoon, 7 October, that the province is ready to stand behind the "
        "southern cities as they compete for the industries of the coming decades.\n\n"
        "The briefing took place at Samsung Electronics' Hwaseong campus. It was "
        "the first public presentation by the Future Smart Belt Alliance, which the "
        "cities of Suwon, Yongin, Seongnam, Hwaseong, Pyeongtaek, Icheon and Anseong "
        "set up in June to work on policies that benefit all of them.\n\n"
        "Taking part were Suwon Mayor Yeom Tae-yeong, Yongin Mayor Baek Gun-gi, "
        "Seongnam Mayor Eun Su-mi, Hwaseong Mayor Seo Cheol-mo, Pyeongtaek Mayor "
        "Jeong Jang-seon, Icheon Mayor Eom Tae-jun, Anseong Mayor Kim Bo-ra and "
        "Samsung Electronics Vice President Park Chan-hoon.\n\n"
        "The governor said that digital change, the race for technology and trade "
        "restrictions had brought the national economy to a turning point, and that "
        "cities, companies and the province would get through it only by working "
        "together on new technology and new ways of organising industry.\n\n"
        "Between them the seven cities produce 82.8 per cent of the value added by "
        "Korea's semiconductor industry. At the briefing they announced a shared "
        "ordinance giving priority to smart belt projects, set out the first "
        "strategy of each city, and signed an agreement to work towards a special "
        "local body that would represent the alliance.\n\n"
        "The province aims to make Gyeonggi the world's largest hub for advanced "
        "semiconductors by 2030, with the Yongin Semiconductor Cluster at its core."
    ),
    "department": "future-growth",
    "topics": ["semiconductors", "economy"],
    "municipalities": ["gyeonggi", *SMART_BELT_CITIES],
    "officials": [
        "lee-jaemyung",
        "yeom-tae-yeong",
        "baek-gun-gi",
        "eun-su-mi",
        "seo-cheol-mo",
        "jeong-jang-seon",
        "eom-tae-jun",
        "kim-bo-ra",
        "park-chan-hoon",
    ],
    "organizations": ["samsung-electronics", "future-smart-belt"],
    "legacy_hits": 201,
}

# The board runs from this day, one story every STORY_INTERVAL.
FIRST_STORY_AT = datetime.datetime(2021, 1, 5, 10, 0, tzinfo=SEOUL)
STORY_INTERVAL = datetime.timedelta(days=18)
STORY_COUNT = 40

# Stories written for the demo; {city} is filled with the city the release is about.
STORIES = [
    {
        "title": "{city} opens a 24-hour children's clinic with provincial funds",
        "summary": "○ A night and weekend paediatric clinic opens in {city}\n"
        "– Open every day of the year, including holidays\n"
        "– The province pays half of the running costs for three years",
        "body": "Parents in {city} no longer have to drive to a university hospital "
        "when a child falls ill at night. The new clinic has two paediatricians on "
        "duty around the clock and a pharmacy on the ground floor.\n\n"
        "The clinic is the fourth of its kind the province has funded. Officials "
        "expect around 12,000 visits a year.",
        "topics": ["welfare"],
        "department": "welfare",
        "ko": {
            "title": "{city}에 24시간 어린이 진료소 문 열어",
            "summary": "○ {city}에 야간·휴일 소아 진료소 개소\n"
            "– 공휴일을 포함해 연중무휴 운영\n"
            "– 도가 3년간 운영비의 절반 지원",
            "body": "{city}의 부모들은 이제 밤중에 아이가 아파도 대학병원까지 가지 "
            "않아도 된다. 새 진료소에는 소아과 전문의 두 명이 교대로 상주한다.\n\n"
            "도가 지원하는 네 번째 진료소로, 연간 약 1만 2천 건의 진료가 예상된다.",
        },
    },
    {
        "title": "Bus routes between {city} and Seoul get more late-night services",
        "summary": "○ Eight wide-area bus routes from {city} will run until 1 a.m.\n"
        "– Waiting times at peak hours fall to under ten minutes",
        "body": "Commuters from {city} asked for later buses in a survey last year, "
        "and the province has now agreed the timetable with the operators.\n\n"
        "The extra services start next month. Real-time arrival information is "
        "available at every stop and in the province's bus app.",
        "topics": ["transport"],
        "department": "transportation",
        "ko": {
            "title": "{city}–서울 광역버스 심야 운행 확대",
            "summary": "○ {city} 출발 광역버스 8개 노선, 새벽 1시까지 운행\n"
            "– 출퇴근 시간 배차 간격 10분 이내로 단축",
            "body": "지난해 설문조사에서 {city} 통근자들이 심야 버스 증편을 요청했고, "
            "도는 운수업체와 새 시간표에 합의했다.\n\n"
            "증편 운행은 다음 달부터 시작된다.",
        },
    },
    {
        "title": "Province backs {city} start-ups with a new semiconductor test bed",
        "summary": "○ A shared test bed for chip equipment opens in {city}\n"
        "– Small firms can test parts without building their own clean rooms\n"
        "– Booking opens to companies across the province",
        "body": "Small and medium suppliers often lack the money to prove that "
        "their materials and parts work on a production line. The test bed in "
        "{city} lets them run trials on shared equipment at a fraction of the cost.\n\n"
        "The province expects more than 200 companies to use the facility in its "
        "first two years.",
        "topics": ["semiconductors", "economy"],
        "department": "future-growth",
    },
    {
        "title": "{city} river clean-up removes 40 tonnes of waste",
        "summary": "○ Volunteers and staff cleared the river banks through {city}\n"
        "– Plastic made up more than half of the waste collected",
        "body": "More than 600 residents joined the spring clean-up over two "
        "weekends. The province supplied boats, gloves and collection lorries.\n\n"
        "Sorting of the waste showed that plastic bottles and food packaging were "
        "the largest share. The findings will shape next year's campaign.",
        "topics": ["environment"],
        "department": "climate-environment",
    },
    {
        "title": "Farmers in {city} to receive support for eco-friendly rice",
        "summary": "○ Grants for switching to eco-friendly rice farming in {city}\n"
        "– Up to 1.5 million won a hectare for the first three years\n"
        "– School meals across the province will buy the harvest",
        "body": "The grant covers the higher costs of the first years without "
        "chemical fertiliser, when yields usually drop.\n\n"
        "The province has agreed to buy the rice for school meals, which gives "
        "farmers a certain market from the first harvest.",
        "topics": ["agriculture"],
        "department": "agriculture-maritime",
    },
    {
        "title": "{city} adds 500 public rental homes for young workers",
        "summary": "○ Rental homes for workers under 39 near {city} station\n"
        "– Rents at 60 to 80 per cent of the local market\n"
        "– Applications open online next month",
        "body": "The homes are within walking distance of the station and are "
        "reserved for young workers and newly married couples.\n\n"
        "Tenants may stay for up to ten years. The province and the city share "
        "the cost of the land.",
        "topics": ["housing", "youth"],
        "department": "welfare",
    },
    {
        "title": "Autumn festival in {city} expects record visitors",
        "summary": "○ Three-day festival in {city} with local food and music\n"
        "– Free shuttle buses from the nearest stations",
        "body": "The festival returns with more than 80 stalls run by local "
        "farmers and small businesses.\n\n"
        "Organisers ask visitors to use the free shuttles, as parking near the "
        "site is limited.",
        "topics": ["culture"],
        "department": "spokesperson",
        "ko": {
            "title": "{city} 가을 축제, 역대 최다 방문객 기대",
            "summary": "○ 지역 먹거리와 음악이 함께하는 {city} 사흘간의 축제\n"
            "– 인근 역에서 무료 셔틀버스 운행",
            "body": "올해 축제에는 지역 농가와 소상공인이 운영하는 80여 개 부스가 "
            "참여한다.\n\n주차 공간이 부족하므로 무료 셔틀버스 이용을 당부했다.",
        },
    },
    {
        "title": "Safety checks ordered for older bridges in {city}",
        "summary": "○ Structural checks of 35 bridges built before 1990 in {city}\n"
        "– Results to be published by the end of the year",
        "body": "Engineers will inspect the bridges over the next three months. "
        "Any bridge that needs repair will be closed to heavy vehicles until the "
        "work is done.\n\n"
        "Residents can report cracks or other damage through the province's "
        "safety reporting line.",
        "topics": ["safety"],
        "department": "transportation",
    },
    {
        "title": "Youth job fair in {city} brings 120 employers together",
        "summary": "○ A one-day job fair for residents aged 18 to 34 in {city}\n"
        "– Interviews on the spot with 120 local employers\n"
        "– Free photos for CVs and advice sessions",
        "body": "Manufacturers, logistics firms and care providers are among the "
        "employers taking part.\n\n"
        "Young people who register in advance can book interview slots before "
        "the day.",
        "topics": ["youth", "economy"],
        "department": "future-growth",
        "ko": {
            "title": "{city} 청년 일자리 박람회, 120개 기업 참여",
            "summary": "○ {city}에서 18~34세 주민 대상 하루 일정의 채용 박람회\n"
            "– 지역 기업 120곳과 현장 면접\n"
            "– 이력서 사진 무료 촬영과 상담 제공",
            "body": "제조, 물류, 돌봄 분야 기업들이 참여한다.\n\n"
            "사전 등록한 청년은 면접 시간을 미리 예약할 수 있다.",
        },
    },
    {
        "title": "{city} expands electric vehicle charging to every apartment complex",
        "summary": "○ Chargers to be installed in all apartment complexes of {city}\n"
        "– The province covers 70 per cent of the installation cost",
        "body": "Residents of older apartment complexes have found it hard to own "
        "an electric car without a charger nearby.\n\n"
        "The programme will put at least two chargers in every complex with more "
        "than 100 households by the end of next year.",
        "topics": ["environment", "transport"],
        "department": "climate-environment",
    },
]

REFERENCE_RELEASE_KO = {
    "title": '이재명 지사 "경기 남부 스마트벨트, 미래산업의 중심으로 키워야"',
    "summary": "○ 이재명 지사, 10월 7일 미래 스마트벨트 전략 발표회 참석\n"
    "– 7개 협의체 도시와 기업에 도 차원의 전폭적인 지원 약속\n"
    "– 7개 시, 공동 조례안과 첫 추진 전략 발표",
    "body": "이재명 경기도지사는 7일 오후 삼성전자 화성캠퍼스에서 열린 미래 "
    "스마트벨트 전략 발표회에서 남부 도시들이 미래산업 경쟁에 나설 수 있도록 "
    "도가 적극 뒷받침하겠다고 밝혔다.\n\n"
    "이날 행사는 수원, 용인, 성남, 화성, 평택, 이천, 안성 7개 시가 지난 6월 "
    "구성한 미래 스마트벨트 협의체의 첫 공개 발표 자리였다.\n\n"
    "7개 시는 국내 반도체 산업 부가가치의 82.8%를 차지한다.",
}

# The reference release's photos: drawn, as the demo ships no real ones.
# (caption, alt text, credit, colour), in English and in Korean.
REFERENCE_PHOTOS = {
    "en": [
        ("Governor Lee Jaemyung at the Future Smart Belt Strategy Presentation",
         "The governor speaking at a lectern before a blue stage screen",
         "Gyeonggi Province Spokesperson's Office", (11, 79, 138)),
        ("Mayors of the seven alliance cities at Samsung Electronics' Hwaseong complex",
         "Eight officials standing in a row on a stage",
         "Gyeonggi Province Spokesperson's Office", (32, 110, 72)),
    ],
    "ko": [
        ("미래 스마트벨트 전략 발표회에서 축사하는 이재명 지사",
         "파란 무대 화면 앞 연단에서 말하는 도지사", "경기도 대변인실", (11, 79, 138)),
        ("삼성전자 화성캠퍼스에 모인 협의체 7개 시 시장들",
         "무대 위에 나란히 선 여덟 사람", "경기도 대변인실", (32, 110, 72)),
    ],
}  # fmt: skip


def photo(colour, size=(1600, 1067)):
    """A demo photo: a stage drawn in colour, as JPEG bytes."""
    image = Image.new("RGB", size, (235, 238, 242))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle(
        [width // 10, height // 8, width * 9 // 10, height * 5 // 8], fill=colour
    )
    draw.rectangle([0, height * 3 // 4, width, height], fill=(90, 70, 60))
    for index in range(8):
        left = width // 9 * (index + 1) - width // 40
        draw.ellipse(
            [
                left,
                height * 9 // 16,
                left + width // 20,
                height * 9 // 16 + width // 20,
            ],
            fill=(40, 40, 45),
        )
        draw.rectangle(
            [left - 10, height * 5 // 8, left + width // 20 + 10, height * 3 // 4 + 40],
            fill=(40, 40, 45),
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# The reference release's attachments: its plan as PDF, its facts as HWPX.
REFERENCE_PLAN_LINES = [
    "Future Smart Belt Alliance: first strategy",
    "Seven southern cities: Suwon, Yongin, Seongnam, Hwaseong, Pyeongtaek,",
    "Icheon and Anseong.",
    "Share of the value added by Korea's semiconductor industry: 82.8 per cent.",
    "Goal: the world's largest hub for advanced semiconductors by 2030.",
]
REFERENCE_FACTS_KO = [
    "미래 스마트벨트 협의체 첫 추진 전략",
    "참여 도시: 수원, 용인, 성남, 화성, 평택, 이천, 안성",
    "국내 반도체 산업 부가가치 비중: 82.8%",
]


def pdf(lines):
    """A one-page PDF of lines of ASCII text (Helvetica), as bytes."""
    text = "".join(
        f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj T* "
        for line in lines
    )
    stream = f"BT /F1 12 Tf 16 TL 72 760 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def hwpx(paragraphs):
    """An HWPX document of paragraphs, as bytes."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save_to_stream(buffer)
    return buffer.getvalue()
