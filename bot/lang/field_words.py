"""Words that tell a field visit's category or a meeting's type (data: tune here, not in the reader).

Keys are the names in config ([fieldwork] visit_categories / meeting_types); a name without an entry is
recognised by the name itself, except the last configured name when it has no entry (기타): it catches the rest,
so a log whose words name no category or type is filed there (changeable from the echo) instead of asking.
"""

from __future__ import annotations

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "계절성 안전": ("재해", "폭염", "한파", "수해", "재난", "안전점검", "제설", "침수", "빗물", "펌프장", "배수지",
                "배수펌프", "저류시설", "저류조", "수방", "물놀이장", "공사장", "축대", "옹벽"),
    "민생-복지시설": ("쪽방촌", "쪽방", "복지관", "노인복지관", "복지시설", "경로당", "요양원", "어린이집", "주민센터",
                  "돌봄센터", "상담소", "무더위쉼터"),
    "전통시장": ("전통시장", "시장", "상가", "상점가", "골목상권"),
    "일자리": ("일자리", "고용", "취업", "일터", "창업센터", "봉제공장"),
    "개관시설": ("개관", "개장", "준공", "개소"),
    "동고동락": ("동고동락",),
    "시민발언대": ("시민발언대", "발언대"),
}

MEETING_WORDS: dict[str, tuple[str, ...]] = {
    "의장단·상임위원장단 간담회": ("의장단", "상임위원장단"),
    "상임위원회별 간담회": ("상임위원회", "상임위"),
    "시의원 개별면담": ("시의원", "개별면담"),
    "현장방문 의견청취": ("의견청취",),
    "시-구 간담회": ("시-구", "시구 간담회"),
    "구청장협의회": ("구청장협의회",),
    "시-자치구 정책협의회": ("정책협의회",),
    "시장-구청장 면담": ("구청장 면담", "구청장면담"),
    "부구청장회의": ("부구청장회의", "부구청장 회의"),
}

# The Seoul Metropolitan Council's standing committees (10th council, from July 2018) and the budget committee,
# with the short forms staff type: known without a council directory import. A directory adds its own names.
COMMITTEES: dict[str, tuple[str, ...]] = {
    "운영위원회": ("운영위",),
    "행정자치위원회": ("행자위", "행정자치위"),
    "기획경제위원회": ("기경위", "기획경제위"),
    "환경수자원위원회": ("환수위", "환경수자원위"),
    "보건복지위원회": ("보복위", "보건위", "보건복지위"),
    "문화체육관광위원회": ("문체위", "문화체육관광위"),
    "교통위원회": ("교통위",),
    "도시안전건설위원회": ("도안위", "도시안전건설위"),
    "도시계획관리위원회": ("도관위", "도시계획관리위"),
    "주택건축위원회": ("주택건축위",),
    "교육위원회": ("교육위",),
    "예산결산특별위원회": ("예결위", "예결특위", "예산결산특위"),
}

# Meetings whose words name no type: the post of the person met tells it (the first ending that fits wins;
# 부구청장 before 구청장). A committee chair or a council member met alone is an individual meeting.
COUNTERPART_TYPES: tuple[tuple[str, str], ...] = (
    ("부구청장", "부구청장회의"),
    ("구청장", "시장-구청장 면담"),
    ("부의장", "의장단·상임위원장단 간담회"),
    ("의장", "의장단·상임위원장단 간담회"),
    ("위원장", "시의원 개별면담"),
    ("시의원", "시의원 개별면담"),
)


def words_for(names: tuple[str, ...], table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each configured name with its trigger words (the name itself when the table has none); the last name, when
    the table has none for it, gets no words: it is the reader's fallback for a log that names no other."""
    catch_all = names[-1] if names and names[-1] not in table else None
    return {name: () if name == catch_all else table.get(name, (name,)) for name in names}

# Sections of a place that spans several districts: "한강공원 여의도 물놀이장" is in 영등포구.
PLACE_SECTIONS: dict[str, dict[str, str]] = {
    "한강공원": {"여의도": "영등포구", "양화": "영등포구", "망원": "마포구", "난지": "마포구", "이촌": "용산구",
                 "반포": "서초구", "잠원": "서초구", "뚝섬": "광진구", "잠실": "송파구", "광나루": "강동구",
                 "강서": "강서구"},
}
