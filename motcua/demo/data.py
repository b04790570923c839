"""Demo data for MotCua: a Hanoi-shaped city after the 1 July 2025 two-level reform.

Pure data (stdlib only). The loader reads the public constants below; nothing here touches Django.
Run ``python3 motcua/demo/data.py`` to validate the data set (it prints OK).

Shape of the city (DOMAIN.md §1, seeds 000–004): Thành phố Hà Nội, its Public Administration
Service Centre (hotline 0768.221.221, seed 004), three departments (Sở), six wards (phường) with
their own service centre and divisions, and the former Quận Long Biên kept as a retired unit so
the tree shows history. Names of people, phone numbers and e-mail addresses are invented.

Procedure codes: the ones in ``UNVERIFIED_CODES`` are illustrative (same pattern as the national
catalogue, not checked against it); the others are national TTHC codes. Step budgets follow
DOMAIN.md §3.3 (fractional working days, 1 working day = 8 working hours).
"""

from decimal import Decimal

D = Decimal

# ---------------------------------------------------------------------------------------------
# Units (parent before child)
# ---------------------------------------------------------------------------------------------

UNIT_KINDS = ("province", "department", "service_center", "commune", "division")

CITY = "H26"
CITY_SERVICE_CENTER = "H26.39"
SO_XAY_DUNG = "H26.10"
SO_TU_PHAP = "H26.14"
SO_NONG_NGHIEP_MOI_TRUONG = "H26.17"
DEMO_WARD = "H26.74"  # Phường Long Biên

_CITY_ADDRESS = "thành phố Hà Nội"


def _unit(
    code: str,
    name: str,
    kind: str,
    parent: str | None,
    address: str,
    *,
    active: bool = True,
    retired_on: str | None = None,
) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "parent": parent,
        "address": address,
        "active": active,
        "retired_on": retired_on,
    }


# (code, ward name, street address, number of divisions, slug)
_WARDS = (
    ("H26.74", "Long Biên", "Số 2 phố Thạch Bàn", 3, "longbien"),
    ("H26.75", "Bồ Đề", "Số 28 phố Ngọc Lâm", 2, "bode"),
    ("H26.76", "Phúc Lợi", "Số 10 phố Phúc Lợi", 2, "phucloi"),
    ("H26.81", "Thanh Xuân", "Số 9 phố Khuất Duy Tiến", 3, "thanhxuan"),
    ("H26.86", "Đông Ngạc", "Số 6 đường Đông Ngạc", 2, "dongngac"),
    ("H26.87", "Xuân Đỉnh", "Số 161 đường Xuân Đỉnh", 3, "xuandinh"),
)

# (suffix, division name, slug prefix)
_DIVISIONS = (
    ("01", "Phòng Kinh tế, Hạ tầng và Đô thị", "ktht"),
    ("02", "Phòng Văn hóa - Xã hội", "vhxh"),
    ("03", "Văn phòng HĐND và UBND", "vp"),
)

# Ward service centre code = ward code + ".00"; division code = ward code + ".01" ... ".03".
UNITS: list[dict] = [
    _unit(
        CITY,
        "Thành phố Hà Nội",
        "province",
        None,
        f"79 Đinh Tiên Hoàng, phường Hoàn Kiếm, {_CITY_ADDRESS}",
    ),
    _unit(
        CITY_SERVICE_CENTER,
        "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        "service_center",
        CITY,
        f"258 Võ Chí Công, phường Phú Thượng, {_CITY_ADDRESS}",
    ),
    _unit(
        SO_XAY_DUNG,
        "Sở Xây dựng",
        "department",
        CITY,
        f"52 Lê Đại Hành, phường Hai Bà Trưng, {_CITY_ADDRESS}",
    ),
    _unit(
        SO_TU_PHAP,
        "Sở Tư pháp",
        "department",
        CITY,
        f"221 Trần Phú, phường Hà Đông, {_CITY_ADDRESS}",
    ),
    _unit(
        SO_NONG_NGHIEP_MOI_TRUONG,
        "Sở Nông nghiệp và Môi trường",
        "department",
        CITY,
        f"18 Huỳnh Thúc Kháng, phường Láng, {_CITY_ADDRESS}",
    ),
    _unit(
        "H26.Q04",
        "Quận Long Biên (đã giải thể từ 01/07/2025)",
        "commune",
        CITY,
        "Số 1 phố Vạn Hạnh, khu đô thị Việt Hưng, quận Long Biên, thành phố Hà Nội",
        active=False,
        retired_on="2025-07-01",
    ),
]
for _code, _ward, _street, _ndiv, _slug in _WARDS:
    _address = f"{_street}, phường {_ward}, {_CITY_ADDRESS}"
    UNITS.append(_unit(_code, f"Phường {_ward}", "commune", CITY, _address))
    UNITS.append(
        _unit(
            f"{_code}.00",
            f"Trung tâm Phục vụ hành chính công phường {_ward}",
            "service_center",
            _code,
            f"Tầng 1, {_address}",
        )
    )
    for _suffix, _division, _prefix in _DIVISIONS[:_ndiv]:
        UNITS.append(
            _unit(
                f"{_code}.{_suffix}",
                _division,
                "division",
                _code,
                f"Tầng {int(_suffix) + 1}, {_address}",
            )
        )

# ascii slug of every unit, used for usernames and e-mail domains
_SLUGS: dict[str, str] = {
    CITY: "hanoi",
    CITY_SERVICE_CENTER: "hcchanoi",
    SO_XAY_DUNG: "soxaydung",
    SO_TU_PHAP: "sotuphap",
    SO_NONG_NGHIEP_MOI_TRUONG: "sonnmt",
    "H26.Q04": "quanlongbien",
}
# e-mail domain (before ".demo.motcua.vn") of every unit
_DOMAINS: dict[str, str] = {
    CITY: "hanoi",
    CITY_SERVICE_CENTER: "hcc.hanoi",
    SO_XAY_DUNG: "soxaydung.hanoi",
    SO_TU_PHAP: "sotuphap.hanoi",
    SO_NONG_NGHIEP_MOI_TRUONG: "sonnmt.hanoi",
    "H26.Q04": "quanlongbien",
}
for _code, _ward, _street, _ndiv, _slug in _WARDS:
    _SLUGS[_code] = _slug
    _SLUGS[f"{_code}.00"] = f"hcc{_slug}"
    for _suffix, _division, _prefix in _DIVISIONS[:_ndiv]:
        _SLUGS[f"{_code}.{_suffix}"] = f"{_prefix}{_slug}"
    for _c in (_code, f"{_code}.00", *(f"{_code}.{s}" for s, _, _ in _DIVISIONS[:_ndiv])):
        _DOMAINS[_c] = _slug

# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------

ROLES = ("receptionist", "specialist", "head", "leader", "supervisor", "admin")
DEMO_PASSWORD = "motcua-demo"

ROLE_PREFIXES = {
    "receptionist": "tiepnhan",
    "specialist": "chuyenvien",
    "head": "truongphong",
    "leader": "lanhdao",
    "supervisor": "giamsat",
    "admin": "quantri",
}

_DEMO_SC = f"{DEMO_WARD}.00"
_DEMO_DIVISION = f"{DEMO_WARD}.01"  # Phòng Kinh tế, Hạ tầng và Đô thị

_NAMED_STAFF: list[dict] = [
    {
        "username": "tiepnhan",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912345678",
        "email": "tiepnhan@longbien.demo.motcua.vn",
        "memberships": [(DEMO_WARD, "receptionist"), (_DEMO_SC, "receptionist")],
    },
    {
        "username": "chuyenvien",
        "full_name": "Trần Đức Minh",
        "phone": "0983216547",
        "email": "chuyenvien@longbien.demo.motcua.vn",
        "memberships": [(DEMO_WARD, "specialist"), (_DEMO_DIVISION, "specialist")],
    },
    {
        "username": "truongphong",
        "full_name": "Lê Thị Thu Hằng",
        "phone": "0904567321",
        "email": "truongphong@longbien.demo.motcua.vn",
        "memberships": [(DEMO_WARD, "head"), (_DEMO_DIVISION, "head")],
    },
    {
        "username": "lanhdao",
        "full_name": "Phạm Quang Hưng",
        "phone": "0936789012",
        "email": "lanhdao@longbien.demo.motcua.vn",
        "memberships": [(DEMO_WARD, "leader")],
    },
    {
        "username": "giamsat",
        "full_name": "Vũ Thị Thanh Hà",
        "phone": "0378123456",
        "email": "giamsat@longbien.demo.motcua.vn",
        "memberships": [(DEMO_WARD, "supervisor")],
    },
]

_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
    "Ngô", "Dương", "Phan", "Trịnh", "Đinh", "Lương", "Cao", "Tạ",
)  # fmt: skip
_MALE_MIDDLE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Mạnh", "Xuân")
_MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Long", "Nam", "Sơn", "Hải", "Thắng", "Cường", "Quân",
    "Trung", "Hiếu", "Khánh", "Phong", "Bình", "Toàn", "Đạt", "Huy", "Kiên",
)  # fmt: skip
_FEMALE_MIDDLE = ("Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Phương", "Thùy")
_FEMALE_GIVEN = (
    "Lan", "Hương", "Mai", "Hoa", "Thảo", "Linh", "Trang", "Nga", "Yến", "Hạnh",
    "Ngân", "Dung", "Huyền", "Vân", "Thủy", "Oanh", "Loan", "Giang", "Nhung",
)  # fmt: skip
_MOBILE_PREFIXES = (
    "091", "098", "097", "090", "093", "094", "096", "086",
    "088", "032", "035", "039", "083", "084", "081",
)  # fmt: skip


def _person(i: int) -> tuple[str, str]:
    """The i-th generated person: (full name, mobile phone). Deterministic and unique."""
    j = i // 2
    if i % 2:
        name = f"{_FAMILY[j % 17]} {_MALE_MIDDLE[j % 7]} {_MALE_GIVEN[j % 19]}"
    else:
        name = f"{_FAMILY[(j + 5) % 17]} {_FEMALE_MIDDLE[j % 7]} {_FEMALE_GIVEN[j % 19]}"
    phone = f"{_MOBILE_PREFIXES[i % 15]}{(2468013 + i * 7654321) % 10**7:07d}"
    return name, phone


def _generated_staff() -> list[dict]:
    """One account per role in every active non-division unit (head + specialist in divisions),
    except where a named demo account already holds that role in that unit."""
    covered = {m for s in _NAMED_STAFF for m in s["memberships"]}
    staff: list[dict] = []
    for unit in UNITS:
        if not unit["active"]:
            continue
        roles = ("head", "specialist") if unit["kind"] == "division" else ROLES
        for role in roles:
            if (unit["code"], role) in covered:
                continue
            name, phone = _person(len(staff))
            username = f"{ROLE_PREFIXES[role]}.{_SLUGS[unit['code']]}"
            staff.append(
                {
                    "username": username,
                    "full_name": name,
                    "phone": phone,
                    "email": f"{username}@{_DOMAINS[unit['code']]}.demo.motcua.vn",
                    "memberships": [(unit["code"], role)],
                }
            )
    return staff


STAFF: list[dict] = _NAMED_STAFF + _generated_staff()

# ---------------------------------------------------------------------------------------------
# Focal points (đầu mối tiếp nhận phản ánh, kiến nghị) — seed 000 and seed 004
# ---------------------------------------------------------------------------------------------

OFFICE_HOURS = "Giờ hành chính các ngày làm việc"
CITY_HOTLINE = "0768.221.221"

_STAFF_BY_SEAT = {m: s for s in STAFF for m in s["memberships"]}


def _dotted(mobile: str) -> str:
    """0912345678 -> 0912.345.678"""
    return f"{mobile[:4]}.{mobile[4:7]}.{mobile[7:]}"


def _focal(
    unit: str,
    order: int,
    title: str,
    person: str,
    phone: str,
    email: str,
    *,
    zalo: str = "",
    viber: str = "",
) -> dict:
    return {
        "unit": unit,
        "title": title,
        "person": person,
        "phone": phone,
        "email": email,
        "zalo": zalo,
        "viber": viber,
        "hours": OFFICE_HOURS,
        "order": order,
    }


def _seat(unit: str, role: str, order: int, title: str, landline: str, mailbox: str) -> dict:
    """A focal point held by a staff member: person and Zalo taken from STAFF."""
    staff = _STAFF_BY_SEAT[(unit, role)]
    return _focal(
        unit,
        order,
        title,
        staff["full_name"],
        landline,
        f"{mailbox}@{_DOMAINS[unit]}.demo.motcua.vn",
        zalo=_dotted(staff["phone"]),
    )


_LB = DEMO_WARD
FOCAL_POINTS: list[dict] = [
    # Phường Long Biên (DEMO_WARD): the published list of the ward
    _focal(
        _LB,
        1,
        "Đường dây nóng UBND phường Long Biên",
        "Văn phòng HĐND và UBND phường",
        "024.3875.6688",
        "duongdaynong@longbien.demo.motcua.vn",
        zalo="0889.746.688",
    ),
    _seat(_LB, "leader", 2, "Chủ tịch UBND phường", "024.3875.1001", "chutich"),
    _focal(
        _LB,
        3,
        "Phó Chủ tịch UBND phường (phụ trách kinh tế, đô thị)",
        "Đỗ Mạnh Cường",
        "024.3875.1002",
        "pct.kinhte@longbien.demo.motcua.vn",
        zalo="0913.220.415",
    ),
    _focal(
        _LB,
        4,
        "Phó Chủ tịch UBND phường (phụ trách văn hóa - xã hội)",
        "Ngô Thị Minh Nguyệt",
        "024.3875.1003",
        "pct.vanhoa@longbien.demo.motcua.vn",
        zalo="0947.118.362",
    ),
    _seat(
        _DEMO_SC,
        "leader",
        5,
        "Giám đốc Trung tâm Phục vụ hành chính công phường",
        "024.3875.2000",
        "giamdoc.hcc",
    ),
    _seat(
        _DEMO_SC,
        "supervisor",
        6,
        "Phó Giám đốc Trung tâm Phục vụ hành chính công phường",
        "024.3875.2001",
        "phogiamdoc.hcc",
    ),
    _seat(
        _DEMO_SC,
        "receptionist",
        7,
        "Bộ phận Một cửa (tiếp nhận và trả kết quả)",
        "024.3875.2002",
        "motcua",
    ),
    _seat(
        _DEMO_DIVISION,
        "head",
        8,
        "Trưởng phòng Kinh tế, Hạ tầng và Đô thị",
        "024.3875.3001",
        "phongktht",
    ),
    _focal(
        _DEMO_DIVISION,
        9,
        "Phó Trưởng phòng Kinh tế, Hạ tầng và Đô thị (cấp phép xây dựng, đất đai)",
        "Bùi Xuân Khánh",
        "024.3875.3002",
        "capphep@longbien.demo.motcua.vn",
        zalo="0975.604.219",
    ),
    _seat(f"{_LB}.02", "head", 10, "Trưởng phòng Văn hóa - Xã hội", "024.3875.3101", "phongvhxh"),
    _seat(
        f"{_LB}.03", "head", 11, "Chánh Văn phòng HĐND và UBND phường", "024.3875.3201", "vanphong"
    ),
    _focal(
        f"{_LB}.03",
        12,
        "Công chức Tư pháp - Hộ tịch (hộ tịch, chứng thực)",
        "Hoàng Thị Bích Ngọc",
        "024.3875.3202",
        "tuphap@longbien.demo.motcua.vn",
        zalo="0356.781.204",
    ),
    # Trung tâm Phục vụ hành chính công thành phố Hà Nội (seed 004)
    _focal(
        CITY_SERVICE_CENTER,
        1,
        "Đường dây nóng Trung tâm Phục vụ hành chính công Thành phố",
        "Phòng Kiểm tra - Giám sát",
        CITY_HOTLINE,
        "duongdaynong@hcc.hanoi.demo.motcua.vn",
        zalo=CITY_HOTLINE,
        viber=CITY_HOTLINE,
    ),
    _seat(
        CITY_SERVICE_CENTER,
        "leader",
        2,
        "Giám đốc Trung tâm Phục vụ hành chính công Thành phố",
        "024.3825.5001",
        "giamdoc",
    ),
    _seat(
        CITY_SERVICE_CENTER,
        "supervisor",
        3,
        "Phó Trưởng phòng Kiểm tra - Giám sát",
        "024.3825.5002",
        "kiemtragiamsat",
    ),
    _seat(
        CITY_SERVICE_CENTER,
        "head",
        4,
        "Trưởng phòng Tiếp nhận và Trả kết quả",
        "024.3825.5003",
        "tiepnhan",
    ),
    _focal(
        CITY_SERVICE_CENTER,
        5,
        "Hòm thư góp ý, phản ánh về thủ tục hành chính",
        "Phòng Kiểm tra - Giám sát",
        "024.3825.5004",
        "gopy@hcc.hanoi.demo.motcua.vn",
    ),
]
for _n, (_code, _ward, _street, _ndiv, _slug) in enumerate(_WARDS[1:], start=1):
    _exchange = 3870 + _n * 11
    FOCAL_POINTS += [
        _focal(_code, 1, f"Đường dây nóng UBND phường {_ward}", "Văn phòng HĐND và UBND phường",
               f"024.{_exchange}.6688", f"duongdaynong@{_slug}.demo.motcua.vn"),
        _seat(_code, "leader", 2, "Chủ tịch UBND phường", f"024.{_exchange}.1001", "chutich"),
        _seat(f"{_code}.00", "leader", 3, "Giám đốc Trung tâm Phục vụ hành chính công phường",
              f"024.{_exchange}.2000", "giamdoc.hcc"),
    ]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Fields (lĩnh vực) and procedures (thủ tục hành chính)
# ---------------------------------------------------------------------------------------------

FIELDS: list[dict] = [
    {"code": "XD", "name": "Hoạt động xây dựng"},
    {"code": "HKD", "name": "Thành lập và hoạt động của hộ kinh doanh"},
    {"code": "CT", "name": "Chứng thực"},
    {"code": "HT", "name": "Hộ tịch"},
    {"code": "LLTP", "name": "Lý lịch tư pháp"},
    {"code": "DD", "name": "Đất đai"},
    {"code": "MT", "name": "Môi trường"},
    {"code": "BTXH", "name": "Bảo trợ xã hội"},
    {"code": "VH", "name": "Văn hóa cơ sở"},
    {"code": "TG", "name": "Tín ngưỡng, tôn giáo"},
]

# Codes written in the national pattern but not checked against the national catalogue.
UNVERIFIED_CODES = frozenset(
    {
        "1.009994", "1.009995", "1.009998", "1.009974", "1.009972", "1.009976", "1.001570",
        "2.000635", "1.004873", "1.004859", "2.001035", "2.000913", "2.000488", "1.004227",
        "1.004203", "1.004221", "1.004206", "2.001880", "1.004304", "1.004380", "1.004390",
        "1.001776", "1.001731", "1.001029", "1.001055",
    }
)  # fmt: skip

GREEN_LANE_GROUPS = (
    "investment",
    "export_logistics",
    "finance_consumption",
    "talent_innovation",
    "digital_infrastructure",
)


def _s(
    name: str, role: str, hours: str, *, unit: str | None = None, unit_kind: str | None = None
) -> dict:
    """One internal step; ``hours`` in working hours (1 working day = 8 h)."""
    return {"name": name, "role": role, "hours": D(hours), "unit_kind": unit_kind, "unit": unit}


def _doc(name: str, form: str = "original", copies: int = 1, mandatory: bool = True) -> dict:
    return {"name": name, "form": form, "copies": copies, "mandatory": mandatory}


def _proc(
    code: str,
    name: str,
    field: str,
    *,
    legal_days: str | None = None,
    legal_hours: str | None = None,
    target_hours: str,
    cutoff: str | None = None,
    supplement: str = "pause",
    online: str = "full",
    fee: int = 0,
    fee_note: str = "Không thu phí, lệ phí",
    legal_basis: str,
    result: str,
    offered_by: list[str],
    documents: list[dict],
    steps: list[dict],
    green_lane_group: str | None = None,
    green_lane_hours: str | None = None,
) -> dict:
    return {
        "code": code,
        "name": name,
        "field": field,
        "legal_working_days": D(legal_days) if legal_days is not None else None,
        "legal_working_hours": D(legal_hours) if legal_hours is not None else None,
        "target_working_hours": D(target_hours),
        "deadline_mode": "hour" if legal_hours is not None else "day",
        "cutoff_time": cutoff,
        "supplement_policy": supplement,
        "online_mode": online,
        "fee": fee,
        "fee_note": fee_note,
        "legal_basis": legal_basis,
        "result_name": result,
        "green_lane_group": green_lane_group,
        "green_lane_working_hours": D(green_lane_hours) if green_lane_hours is not None else None,
        "offered_by": offered_by,
        "documents": documents,
        "steps": steps,
    }


_RECEIVE = "Tiếp nhận, kiểm tra, số hóa và chuyển hồ sơ"
_ASSIGN = "Phân công thụ lý"
_REVIEW = "Xem xét, trình ký"
_STAMP = "Vào sổ, đóng dấu, chuyển Bộ phận Một cửa"
_RETURN = "Trả kết quả"

_CCCD = "Căn cước/Căn cước công dân hoặc giấy tờ tùy thân có ảnh (xuất trình)"
_AUTH = "Văn bản ủy quyền (trường hợp nộp thay)"
_GCN = "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"

_LAW_XD = "Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP"
_LAW_HT = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP"
_LAW_CT = "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP; Thông tư 226/2016/TT-BTC"
_LAW_DD = "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP; Nghị định 151/2025/NĐ-CP"
_LAW_HKD = "Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP"

# Same-day civil-status step list (4 working hours).
_SAME_DAY_HT = [
    _s("Tiếp nhận, kiểm tra, số hóa hồ sơ", "receptionist", "0.5"),
    _s("Kiểm tra, ghi Sổ hộ tịch, cập nhật Cơ sở dữ liệu hộ tịch điện tử", "specialist", "2"),
    _s("Ký cấp kết quả", "leader", "1"),
    _s("Đóng dấu, chuyển Bộ phận Một cửa", "receptionist", "0.5"),
    _s(_RETURN, "receptionist", "0"),
]
# Same-day certification step list (2 working hours).
_SAME_DAY_CT = [
    _s("Tiếp nhận, kiểm tra giấy tờ", "receptionist", "0.25"),
    _s("Đối chiếu, ghi lời chứng, vào sổ chứng thực", "specialist", "1"),
    _s("Ký chứng thực", "leader", "0.5"),
    _s("Đóng dấu, thu lệ phí", "receptionist", "0.25"),
    _s(_RETURN, "receptionist", "0"),
]
# Three-working-day ward procedure (16 working hours).
_THREE_DAYS_16 = [
    _s(_RECEIVE, "receptionist", "1"),
    _s("Thẩm tra, xác minh hồ sơ, dự thảo kết quả", "specialist", "10"),
    _s(_REVIEW, "head", "2"),
    _s("Ký duyệt kết quả", "leader", "2"),
    _s(_STAMP, "receptionist", "1"),
    _s(_RETURN, "receptionist", "0"),
]

PROCEDURES: list[dict] = [
    # ----------------------------------------------------------------- Hoạt động xây dựng
    _proc(
        "1.009994",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "XD",
        legal_days="15",
        target_hours="96",
        supplement="restart",
        online="full",
        fee=75000,
        fee_note="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép",
        legal_basis=_LAW_XD,
        result="Giấy phép xây dựng",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)"),
            _doc("Giấy tờ hợp pháp về quyền sử dụng đất", "certified_copy"),
            _doc(
                "02 bộ bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng, đấu nối)",
                copies=2,
            ),
            _doc("Bản cam kết bảo đảm an toàn công trình liền kề (nếu có)", mandatory=False),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s("Thẩm định hồ sơ, kiểm tra thực địa, dự thảo giấy phép", "specialist", "72"),
            _s(_REVIEW, "head", "8"),
            _s("Ký duyệt giấy phép xây dựng", "leader", "8"),
            _s(_STAMP, "receptionist", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.009995",
        "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ",
        "XD",
        legal_days="15",
        target_hours="88",
        supplement="restart",
        online="full",
        fee=75000,
        fee_note="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép",
        legal_basis=_LAW_XD,
        result="Giấy phép xây dựng sửa chữa, cải tạo",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình (Mẫu số 01)"),
            _doc("Giấy tờ hợp pháp về quyền sử dụng đất, quyền sở hữu nhà ở", "certified_copy"),
            _doc("Bản vẽ hiện trạng các bộ phận công trình dự kiến sửa chữa, cải tạo", copies=2),
            _doc("Ảnh chụp hiện trạng công trình đề nghị sửa chữa, cải tạo"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s("Thẩm định hồ sơ, kiểm tra hiện trạng, dự thảo giấy phép", "specialist", "64"),
            _s(_REVIEW, "head", "8"),
            _s("Ký duyệt giấy phép xây dựng", "leader", "8"),
            _s(_STAMP, "receptionist", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.009998",
        "Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ",
        "XD",
        legal_days="5",
        target_hours="32",
        supplement="pause",
        online="full",
        fee=15000,
        fee_note="Lệ phí gia hạn giấy phép xây dựng: 15.000 đồng/giấy phép",
        legal_basis=_LAW_XD,
        result="Giấy phép xây dựng đã được gia hạn",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị gia hạn giấy phép xây dựng (Mẫu số 02)"),
            _doc("Bản chính giấy phép xây dựng đã được cấp"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s("Kiểm tra hồ sơ, dự thảo nội dung gia hạn", "specialist", "16"),
            _s(_REVIEW, "head", "4"),
            _s("Ký gia hạn giấy phép", "leader", "4"),
            _s(_STAMP, "receptionist", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.009974",
        "Cấp giấy phép xây dựng mới đối với công trình cấp II, cấp III (dự án đầu tư)",
        "XD",
        legal_days="20",
        target_hours="144",
        supplement="restart",
        online="full",
        fee=150000,
        fee_note="Lệ phí cấp giấy phép xây dựng công trình: 150.000 đồng/giấy phép",
        legal_basis=_LAW_XD,
        result="Giấy phép xây dựng",
        offered_by=[CITY_SERVICE_CENTER],
        green_lane_group="investment",
        documents=[
            _doc("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)"),
            _doc("Giấy tờ hợp pháp về quyền sử dụng đất", "certified_copy"),
            _doc(
                "Quyết định phê duyệt dự án, văn bản thông báo kết quả thẩm định thiết kế",
                "certified_copy",
            ),
            _doc("Hồ sơ thiết kế xây dựng triển khai sau thiết kế cơ sở", copies=2),
            _doc(
                "Văn bản thẩm duyệt thiết kế về phòng cháy, chữa cháy (nếu có)",
                "copy",
                mandatory=False,
            ),
        ],
        steps=[
            _s("Tiếp nhận, kiểm tra, số hóa, chuyển Sở Xây dựng", "receptionist", "4"),
            _s(_ASSIGN, "head", "4", unit=SO_XAY_DUNG),
            _s(
                "Thẩm định hồ sơ, lấy ý kiến cơ quan liên quan, kiểm tra thực địa",
                "specialist",
                "112",
                unit=SO_XAY_DUNG,
            ),
            _s(_REVIEW, "head", "8", unit=SO_XAY_DUNG),
            _s("Lãnh đạo Sở ký giấy phép xây dựng", "leader", "12", unit=SO_XAY_DUNG),
            _s(
                "Vào sổ, đóng dấu, chuyển kết quả về Trung tâm",
                "receptionist",
                "4",
                unit=SO_XAY_DUNG,
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.009972",
        "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng (dự án nhóm B)",
        "XD",
        legal_days="25",
        target_hours="184",
        supplement="pause",
        online="full",
        fee_note="Phí thẩm định dự án đầu tư xây dựng tính theo tỷ lệ trên tổng mức đầu tư (quy định của Bộ Tài chính)",
        legal_basis=_LAW_XD,
        result="Văn bản thông báo kết quả thẩm định Báo cáo nghiên cứu khả thi",
        offered_by=[CITY_SERVICE_CENTER],
        green_lane_group="investment",
        green_lane_hours="64",
        documents=[
            _doc("Tờ trình thẩm định Báo cáo nghiên cứu khả thi (Mẫu số 01 Phụ lục I)"),
            _doc("Báo cáo nghiên cứu khả thi đầu tư xây dựng và thiết kế cơ sở"),
            _doc("Quyết định hoặc văn bản chấp thuận chủ trương đầu tư", "certified_copy"),
            _doc("Văn bản ý kiến về giải pháp phòng cháy, chữa cháy của thiết kế cơ sở", "copy"),
        ],
        steps=[
            _s("Tiếp nhận, kiểm tra, số hóa, chuyển Sở Xây dựng", "receptionist", "4"),
            _s(_ASSIGN, "head", "4", unit=SO_XAY_DUNG),
            _s(
                "Thẩm định hồ sơ, lấy ý kiến các Sở, ngành liên quan",
                "specialist",
                "152",
                unit=SO_XAY_DUNG,
            ),
            _s(_REVIEW, "head", "8", unit=SO_XAY_DUNG),
            _s("Lãnh đạo Sở ký thông báo kết quả thẩm định", "leader", "12", unit=SO_XAY_DUNG),
            _s(
                "Vào sổ, đóng dấu, chuyển kết quả về Trung tâm",
                "receptionist",
                "4",
                unit=SO_XAY_DUNG,
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.009976",
        "Cấp giấy phép xây dựng công trình hạ tầng kỹ thuật viễn thông thụ động (trạm BTS)",
        "XD",
        legal_days="20",
        target_hours="120",
        supplement="restart",
        online="full",
        fee=150000,
        fee_note="Lệ phí cấp giấy phép xây dựng công trình: 150.000 đồng/giấy phép",
        legal_basis=f"{_LAW_XD}; Luật Viễn thông 2023",
        result="Giấy phép xây dựng",
        offered_by=[CITY_SERVICE_CENTER],
        green_lane_group="digital_infrastructure",
        documents=[
            _doc("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)"),
            _doc(
                "Văn bản thỏa thuận địa điểm, hợp đồng thuê vị trí lắp đặt trạm", "certified_copy"
            ),
            _doc(
                "Bản vẽ thiết kế kết cấu cột ăng-ten, kiểm định khả năng chịu lực của công trình",
                copies=2,
            ),
        ],
        steps=[
            _s("Tiếp nhận, kiểm tra, số hóa, chuyển Sở Xây dựng", "receptionist", "4"),
            _s(_ASSIGN, "head", "4", unit=SO_XAY_DUNG),
            _s("Thẩm định hồ sơ, kiểm tra vị trí lắp đặt", "specialist", "88", unit=SO_XAY_DUNG),
            _s(_REVIEW, "head", "8", unit=SO_XAY_DUNG),
            _s("Lãnh đạo Sở ký giấy phép xây dựng", "leader", "12", unit=SO_XAY_DUNG),
            _s(
                "Vào sổ, đóng dấu, chuyển kết quả về Trung tâm",
                "receptionist",
                "4",
                unit=SO_XAY_DUNG,
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Hộ kinh doanh
    _proc(
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "HKD",
        legal_days="3",
        target_hours="20",
        supplement="restart",
        online="full",
        fee=100000,
        fee_note="Lệ phí đăng ký hộ kinh doanh: 100.000 đồng/lần (theo Nghị quyết của HĐND Thành phố)",
        legal_basis=_LAW_HKD,
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
        offered_by=["commune"],
        documents=[
            _doc("Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1)"),
            _doc(
                "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)",
                mandatory=False,
            ),
            _doc("Văn bản ủy quyền cho thành viên làm chủ hộ kinh doanh (nếu có)", mandatory=False),
            _doc(_CCCD),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s(
                "Kiểm tra tính hợp lệ, đặt tên, nhập dữ liệu vào Hệ thống thông tin về đăng ký hộ kinh doanh",
                "specialist",
                "10",
            ),
            _s(_REVIEW, "head", "2"),
            _s("Ký Giấy chứng nhận đăng ký hộ kinh doanh", "leader", "2"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.001570",
        "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh",
        "HKD",
        legal_days="3",
        target_hours="16",
        supplement="continue",
        online="full",
        legal_basis=_LAW_HKD,
        result="Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh",
        offered_by=["commune"],
        documents=[
            _doc("Thông báo về việc tạm ngừng/tiếp tục kinh doanh (Phụ lục III-4)"),
            _doc(_AUTH, mandatory=False),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(
                "Kiểm tra, cập nhật tình trạng hộ kinh doanh, dự thảo giấy xác nhận",
                "specialist",
                "8",
            ),
            _s("Ký giấy xác nhận", "head", "4"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Chứng thực
    _proc(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
        "CT",
        legal_days="0",
        target_hours="2",
        cutoff="15:00",
        supplement="restart",
        online="partial",
        fee=2000,
        fee_note="2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản",
        legal_basis=_LAW_CT,
        result="Bản sao có chứng thực",
        offered_by=["commune"],
        documents=[
            _doc("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"),
            _doc("Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)", "copy", mandatory=False),
        ],
        steps=_SAME_DAY_CT,
    ),
    _proc(
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "CT",
        legal_days="0",
        target_hours="2",
        cutoff="15:00",
        supplement="restart",
        online="none",
        fee=10000,
        fee_note="10.000 đồng/trường hợp",
        legal_basis=_LAW_CT,
        result="Giấy tờ, văn bản đã được chứng thực chữ ký",
        offered_by=["commune"],
        documents=[
            _doc(_CCCD),
            _doc("Giấy tờ, văn bản mà mình sẽ ký (ký trước mặt người thực hiện chứng thực)"),
        ],
        steps=_SAME_DAY_CT,
    ),
    _proc(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở",
        "CT",
        legal_days="2",
        target_hours="12",
        supplement="continue",
        online="none",
        fee=50000,
        fee_note="50.000 đồng/hợp đồng, giao dịch",
        legal_basis=_LAW_CT,
        result="Hợp đồng, giao dịch được chứng thực",
        offered_by=["commune"],
        documents=[
            _doc("Dự thảo hợp đồng, giao dịch"),
            _doc(_CCCD),
            _doc(_GCN, "original_or_copy"),
        ],
        steps=[
            _s("Tiếp nhận, kiểm tra giấy tờ", "receptionist", "1"),
            _s(
                "Kiểm tra năng lực hành vi dân sự, nội dung hợp đồng; ký trước mặt",
                "specialist",
                "8",
            ),
            _s("Ký chứng thực hợp đồng", "leader", "2"),
            _s("Vào sổ chứng thực, đóng dấu, thu lệ phí", "receptionist", "1"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "2.000913",
        "Chứng thực bản sao điện tử từ bản chính",
        "CT",
        legal_hours="8",
        target_hours="4",
        supplement="restart",
        online="full",
        fee=2000,
        fee_note="2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang",
        legal_basis=_LAW_CT,
        result="Bản sao điện tử có chứng thực (ký số)",
        offered_by=["commune"],
        documents=[_doc("Bản chính giấy tờ, văn bản (xuất trình để đối chiếu)")],
        steps=[
            _s("Tiếp nhận yêu cầu trực tuyến, kiểm tra bản chính", "receptionist", "0.5"),
            _s("Đối chiếu, tạo bản sao điện tử, ghi lời chứng", "specialist", "2"),
            _s("Ký số chứng thực", "leader", "1"),
            _s("Gửi bản sao điện tử vào kho dữ liệu của người yêu cầu", "receptionist", "0.5"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Hộ tịch
    _proc(
        "1.001193",
        "Đăng ký khai sinh",
        "HT",
        legal_days="0",
        target_hours="4",
        cutoff="15:00",
        supplement="restart",
        online="full",
        fee_note="Miễn lệ phí đăng ký khai sinh đúng hạn",
        legal_basis=_LAW_HT,
        result="Giấy khai sinh (bản chính)",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký khai sinh"),
            _doc("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh"),
            _doc(_CCCD),
        ],
        steps=_SAME_DAY_HT,
    ),
    _proc(
        "1.000894",
        "Đăng ký kết hôn",
        "HT",
        legal_days="0",
        target_hours="4",
        cutoff="15:00",
        supplement="pause",
        online="partial",
        fee_note="Miễn lệ phí đăng ký kết hôn",
        legal_basis=_LAW_HT,
        result="Giấy chứng nhận kết hôn",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký kết hôn"),
            _doc(_CCCD, copies=2),
            _doc(
                "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không cư trú)",
                mandatory=False,
            ),
        ],
        steps=_SAME_DAY_HT,
    ),
    _proc(
        "1.000656",
        "Đăng ký khai tử",
        "HT",
        legal_days="0",
        target_hours="4",
        cutoff="15:00",
        supplement="restart",
        online="full",
        fee_note="Miễn lệ phí đăng ký khai tử đúng hạn",
        legal_basis=_LAW_HT,
        result="Trích lục khai tử (bản chính)",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký khai tử"),
            _doc("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"),
        ],
        steps=_SAME_DAY_HT,
    ),
    _proc(
        "2.000635",
        "Cấp bản sao Trích lục hộ tịch",
        "HT",
        legal_days="0",
        target_hours="2",
        cutoff="15:00",
        supplement="restart",
        online="full",
        fee=8000,
        fee_note="Phí cấp bản sao trích lục hộ tịch: 8.000 đồng/bản",
        legal_basis=_LAW_HT,
        result="Bản sao Trích lục hộ tịch",
        offered_by=["commune"],
        documents=[_doc("Tờ khai cấp bản sao trích lục hộ tịch"), _doc(_AUTH, mandatory=False)],
        steps=[
            _s("Tiếp nhận yêu cầu", "receptionist", "0.5"),
            _s("Tra cứu Sổ hộ tịch, Cơ sở dữ liệu hộ tịch, in trích lục", "specialist", "1"),
            _s("Ký bản sao trích lục", "leader", "0.5"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "HT",
        legal_days="3",
        target_hours="20",
        supplement="pause",
        online="partial",
        fee_note="Lệ phí hộ tịch theo Nghị quyết của HĐND Thành phố",
        legal_basis=_LAW_HT,
        result="Trích lục đăng ký nhận cha, mẹ, con",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký nhận cha, mẹ, con"),
            _doc(
                "Văn bản của cơ quan y tế, giám định hoặc chứng cứ chứng minh quan hệ cha, mẹ, con"
            ),
            _doc(_CCCD),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "1"),
            _s("Xác minh, niêm yết, dự thảo trích lục", "specialist", "14"),
            _s(_REVIEW, "head", "2"),
            _s("Ký trích lục", "leader", "2"),
            _s(_STAMP, "receptionist", "1"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004837",
        "Đăng ký giám hộ",
        "HT",
        legal_days="3",
        target_hours="16",
        supplement="pause",
        online="partial",
        fee_note="Miễn lệ phí",
        legal_basis=_LAW_HT,
        result="Trích lục đăng ký giám hộ",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký giám hộ"),
            _doc("Văn bản cử người giám hộ"),
            _doc(_CCCD),
        ],
        steps=_THREE_DAYS_16,
    ),
    _proc(
        "1.004884",
        "Đăng ký lại khai sinh",
        "HT",
        legal_days="5",
        target_hours="32",
        supplement="pause",
        online="full",
        fee_note="Lệ phí hộ tịch theo Nghị quyết của HĐND Thành phố",
        legal_basis=_LAW_HT,
        result="Giấy khai sinh (đăng ký lại)",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký lại khai sinh"),
            _doc("Bản sao Giấy khai sinh cũ hoặc giấy tờ, tài liệu có nội dung liên quan", "copy"),
            _doc("Văn bản cam đoan về việc đã đăng ký khai sinh nhưng không lưu được sổ hộ tịch"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "1"),
            _s("Kiểm tra, xác minh hồ sơ, dự thảo Giấy khai sinh", "specialist", "24"),
            _s(_REVIEW, "head", "3"),
            _s("Ký Giấy khai sinh", "leader", "3"),
            _s(_STAMP, "receptionist", "1"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "HT",
        legal_days="3",
        target_hours="16",
        supplement="pause",
        online="full",
        fee_note="Lệ phí hộ tịch theo Nghị quyết của HĐND Thành phố",
        legal_basis=_LAW_HT,
        result="Giấy xác nhận tình trạng hôn nhân",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
            _doc(
                "Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng (nếu có)",
                "certified_copy",
                mandatory=False,
            ),
        ],
        steps=_THREE_DAYS_16,
    ),
    _proc(
        "1.004859",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "HT",
        legal_days="3",
        target_hours="20",
        supplement="pause",
        online="full",
        fee_note="Lệ phí hộ tịch theo Nghị quyết của HĐND Thành phố",
        legal_basis=_LAW_HT,
        result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch"),
            _doc("Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung", "certified_copy"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "1"),
            _s("Kiểm tra căn cứ, ghi Sổ hộ tịch, dự thảo trích lục", "specialist", "14"),
            _s(_REVIEW, "head", "2"),
            _s("Ký trích lục", "leader", "2"),
            _s(_STAMP, "receptionist", "1"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Lý lịch tư pháp
    # The brief places this at Sở Tư pháp; note that since 01/07/2025 the citizen's judicial
    # record certificate is reportedly issued by the provincial police (see report).
    _proc(
        "2.000488",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "LLTP",
        legal_days="10",
        target_hours="72",
        supplement="pause",
        online="full",
        fee=200000,
        fee_note="200.000 đồng/lần; sinh viên, người có công với cách mạng: 100.000 đồng/lần",
        legal_basis="Luật Lý lịch tư pháp 2009; Nghị định 111/2010/NĐ-CP; Thông tư 244/2016/TT-BTC",
        result="Phiếu lý lịch tư pháp",
        offered_by=[CITY_SERVICE_CENTER, SO_TU_PHAP],
        documents=[
            _doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03)"),
            _doc(_CCCD),
            _doc(_AUTH, mandatory=False),
        ],
        steps=[
            _s("Tiếp nhận, kiểm tra, số hóa, chuyển Sở Tư pháp", "receptionist", "2"),
            _s(_ASSIGN, "head", "2", unit=SO_TU_PHAP),
            _s(
                "Tra cứu, xác minh thông tin lý lịch tư pháp, lập Phiếu",
                "specialist",
                "52",
                unit=SO_TU_PHAP,
            ),
            _s(_REVIEW, "head", "6", unit=SO_TU_PHAP),
            _s("Lãnh đạo Sở ký Phiếu lý lịch tư pháp", "leader", "6", unit=SO_TU_PHAP),
            _s("Vào sổ, đóng dấu, chuyển kết quả", "receptionist", "4", unit=SO_TU_PHAP),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Đất đai
    _proc(
        "1.004227",
        "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu đối với cá nhân",
        "DD",
        legal_days="20",
        target_hours="148",
        supplement="pause",
        online="partial",
        fee=25000,
        fee_note="25.000 đồng/giấy (chỉ có quyền sử dụng đất); 100.000 đồng/giấy (có tài sản gắn liền với đất)",
        legal_basis=_LAW_DD,
        result=_GCN,
        offered_by=["commune"],
        documents=[
            _doc("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)"),
            _doc("Giấy tờ về quyền sử dụng đất (nếu có)", "certified_copy", mandatory=False),
            _doc(
                "Chứng từ thực hiện nghĩa vụ tài chính hoặc giấy tờ miễn, giảm (nếu có)",
                "copy",
                mandatory=False,
            ),
            _doc("Mảnh trích đo bản đồ địa chính thửa đất (nếu có)", mandatory=False),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "4"),
            _s(_ASSIGN, "head", "4"),
            _s(
                "Kiểm tra hồ sơ, xác minh hiện trạng, nguồn gốc và thời điểm sử dụng đất",
                "specialist",
                "40",
            ),
            _s(
                "Văn phòng đăng ký đất đai: trích lục bản đồ, gửi thông tin xác định nghĩa vụ tài chính",
                "specialist",
                "56",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s("Kiểm tra kết quả, chuyển UBND phường", "head", "8", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(_REVIEW, "head", "8"),
            _s("Ký Giấy chứng nhận", "leader", "16"),
            _s(
                "Cập nhật cơ sở dữ liệu đất đai, chỉnh lý hồ sơ địa chính",
                "specialist",
                "8",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_STAMP, "receptionist", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004203",
        "Chuyển mục đích sử dụng đất đối với cá nhân",
        "DD",
        legal_days="15",
        target_hours="112",
        supplement="pause",
        online="partial",
        fee_note="Không thu lệ phí thủ tục; người sử dụng đất nộp tiền sử dụng đất theo thông báo của cơ quan thuế",
        legal_basis=f"{_LAW_DD}; Nghị định 102/2024/NĐ-CP",
        result="Quyết định cho phép chuyển mục đích sử dụng đất",
        offered_by=["commune"],
        documents=[
            _doc("Đơn xin chuyển mục đích sử dụng đất (Mẫu số 02c)"),
            _doc(_GCN, "original"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "4"),
            _s(_ASSIGN, "head", "4"),
            _s("Thẩm định nhu cầu, kiểm tra thực địa, lập tờ trình", "specialist", "48"),
            _s(
                "Văn phòng đăng ký đất đai: trích lục, chuyển thông tin xác định nghĩa vụ tài chính",
                "specialist",
                "24",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_REVIEW, "head", "8"),
            _s("Ký quyết định cho phép chuyển mục đích sử dụng đất", "leader", "16"),
            _s(
                "Chỉnh lý hồ sơ địa chính, xác nhận trên Giấy chứng nhận",
                "specialist",
                "4",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_STAMP, "receptionist", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004221",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (chuyển nhượng, tặng cho, thừa kế)",
        "DD",
        legal_days="10",
        target_hours="72",
        supplement="pause",
        online="partial",
        fee=30000,
        fee_note="Lệ phí chứng nhận đăng ký biến động: 30.000 đồng/lần (theo Nghị quyết của HĐND Thành phố)",
        legal_basis=_LAW_DD,
        result="Giấy chứng nhận đã được xác nhận biến động hoặc Giấy chứng nhận mới",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 11/ĐK)"),
            _doc(
                "Hợp đồng, văn bản về chuyển nhượng, tặng cho, thừa kế đã được công chứng, chứng thực"
            ),
            _doc(_GCN, "original"),
            _doc("Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân"),
        ],
        steps=[
            _s(
                "Tiếp nhận, kiểm tra, số hóa, chuyển Văn phòng đăng ký đất đai", "receptionist", "4"
            ),
            _s(_ASSIGN, "head", "4", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Kiểm tra hồ sơ, chuyển cơ quan thuế, chỉnh lý và cập nhật biến động",
                "specialist",
                "48",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_REVIEW, "head", "4", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Lãnh đạo Văn phòng đăng ký đất đai ký xác nhận",
                "leader",
                "8",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(
                "Vào sổ, đóng dấu, chuyển kết quả về phường",
                "receptionist",
                "4",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004206",
        "Tách thửa hoặc hợp thửa đất",
        "DD",
        legal_days="15",
        target_hours="104",
        supplement="pause",
        online="partial",
        fee=25000,
        fee_note="Lệ phí cấp Giấy chứng nhận: 25.000 đồng/giấy; chi phí đo đạc theo đơn giá của Thành phố",
        legal_basis=_LAW_DD,
        result="Giấy chứng nhận cho các thửa đất sau tách, hợp thửa",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị tách thửa đất, hợp thửa đất (Mẫu số 01/ĐK)"),
            _doc(_GCN, "original"),
            _doc("Bản vẽ tách thửa, hợp thửa đất lập theo Mẫu số 02/ĐK"),
        ],
        steps=[
            _s(
                "Tiếp nhận, kiểm tra, số hóa, chuyển Văn phòng đăng ký đất đai", "receptionist", "4"
            ),
            _s(_ASSIGN, "head", "4", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Kiểm tra điều kiện tách, hợp thửa; đo đạc, chỉnh lý bản đồ; in Giấy chứng nhận",
                "specialist",
                "72",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_REVIEW, "head", "8", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s("Ký Giấy chứng nhận", "leader", "8", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Vào sổ, đóng dấu, chuyển kết quả về phường",
                "receptionist",
                "8",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "2.001880",
        "Hòa giải tranh chấp đất đai tại Ủy ban nhân dân cấp xã",
        "DD",
        legal_days="30",
        target_hours="200",
        supplement="continue",
        online="partial",
        legal_basis="Luật Đất đai 2024 (Điều 235); Nghị định 102/2024/NĐ-CP",
        result="Biên bản hòa giải thành hoặc hòa giải không thành",
        offered_by=["commune"],
        documents=[
            _doc("Đơn yêu cầu hòa giải tranh chấp đất đai"),
            _doc(
                "Giấy tờ, tài liệu liên quan đến thửa đất tranh chấp (nếu có)",
                "copy",
                mandatory=False,
            ),
        ],
        steps=[
            _s("Tiếp nhận đơn", "receptionist", "2"),
            _s("Quyết định thành lập Hội đồng hòa giải", "leader", "6"),
            _s("Thẩm tra, xác minh, thu thập tài liệu, tổ chức họp hòa giải", "specialist", "160"),
            _s("Lập biên bản hòa giải", "head", "16"),
            _s("Ký biên bản, gửi các bên", "leader", "16"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004304",
        "Giao đất, cho thuê đất không thông qua đấu giá đối với tổ chức thực hiện dự án đầu tư",
        "DD",
        legal_days="20",
        target_hours="144",
        supplement="pause",
        online="partial",
        fee_note="Không thu lệ phí thủ tục; tiền sử dụng đất, tiền thuê đất theo thông báo của cơ quan thuế",
        legal_basis=f"{_LAW_DD}; Nghị định 102/2024/NĐ-CP",
        result="Quyết định giao đất, cho thuê đất của UBND Thành phố",
        offered_by=[CITY_SERVICE_CENTER],
        green_lane_group="investment",
        documents=[
            _doc("Đơn xin giao đất, cho thuê đất (Mẫu số 02a)"),
            _doc(
                "Văn bản chấp thuận chủ trương đầu tư hoặc quyết định phê duyệt dự án",
                "certified_copy",
            ),
            _doc("Trích lục bản đồ địa chính hoặc trích đo địa chính thửa đất"),
            _doc("Văn bản thẩm định nhu cầu sử dụng đất, điều kiện giao đất, cho thuê đất", "copy"),
        ],
        steps=[
            _s(
                "Tiếp nhận, kiểm tra, số hóa, chuyển Sở Nông nghiệp và Môi trường",
                "receptionist",
                "4",
            ),
            _s(_ASSIGN, "head", "4", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Thẩm định hồ sơ, kiểm tra thực địa, dự thảo tờ trình và quyết định",
                "specialist",
                "96",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(_REVIEW, "head", "8", unit=SO_NONG_NGHIEP_MOI_TRUONG),
            _s(
                "Lãnh đạo Sở ký tờ trình UBND Thành phố",
                "leader",
                "8",
                unit=SO_NONG_NGHIEP_MOI_TRUONG,
            ),
            _s(
                "UBND Thành phố xem xét, quyết định giao đất, cho thuê đất",
                "leader",
                "24",
                unit_kind="province",
            ),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Môi trường
    _proc(
        "1.004380",
        "Đăng ký môi trường",
        "MT",
        legal_days="5",
        target_hours="16",
        supplement="continue",
        online="full",
        legal_basis="Luật Bảo vệ môi trường 2020 (Điều 49); Nghị định 08/2022/NĐ-CP",
        result="Thông báo tiếp nhận đăng ký môi trường",
        offered_by=["commune"],
        documents=[_doc("Văn bản đăng ký môi trường (Mẫu Phụ lục XLVII)")],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s("Kiểm tra nội dung đăng ký, vào sổ đăng ký môi trường", "specialist", "10"),
            _s("Ký thông báo tiếp nhận", "head", "2"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.004390",
        "Cấp giấy phép môi trường (thẩm quyền UBND cấp tỉnh)",
        "MT",
        legal_days="30",
        target_hours="216",
        supplement="pause",
        online="full",
        fee_note="Phí thẩm định cấp giấy phép môi trường theo quy mô dự án (Nghị quyết của HĐND Thành phố)",
        legal_basis="Luật Bảo vệ môi trường 2020 (Điều 43); Nghị định 08/2022/NĐ-CP (sửa đổi bởi Nghị định 05/2025/NĐ-CP)",
        result="Giấy phép môi trường",
        offered_by=[SO_NONG_NGHIEP_MOI_TRUONG],
        documents=[
            _doc("Văn bản đề nghị cấp giấy phép môi trường"),
            _doc("Báo cáo đề xuất cấp giấy phép môi trường"),
            _doc("Bản sao báo cáo nghiên cứu khả thi hoặc tài liệu tương đương", "copy"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "4"),
            _s(_ASSIGN, "head", "4"),
            _s(
                "Thẩm định hồ sơ, kiểm tra thực tế, lấy ý kiến cơ quan liên quan",
                "specialist",
                "160",
            ),
            _s(_REVIEW, "head", "12"),
            _s("Lãnh đạo Sở ký tờ trình UBND Thành phố", "leader", "12"),
            _s("UBND Thành phố ký cấp giấy phép môi trường", "leader", "24", unit_kind="province"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Bảo trợ xã hội
    _proc(
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "BTXH",
        legal_days="10",
        target_hours="72",
        supplement="pause",
        online="full",
        legal_basis="Nghị định 20/2021/NĐ-CP (sửa đổi bởi Nghị định 76/2024/NĐ-CP)",
        result="Quyết định trợ cấp xã hội hằng tháng",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đề nghị trợ cấp xã hội (Mẫu số 1a–1g)"),
            _doc("Giấy xác nhận khuyết tật (đối với người khuyết tật)", "copy", mandatory=False),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "4"),
            _s(
                "Xác minh, thẩm định điều kiện, đối chiếu Cơ sở dữ liệu quốc gia về dân cư",
                "specialist",
                "48",
            ),
            _s(_REVIEW, "head", "8"),
            _s("Ký quyết định trợ cấp", "leader", "8"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.001699",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "BTXH",
        legal_days="20",
        target_hours="144",
        supplement="pause",
        online="partial",
        legal_basis="Luật Người khuyết tật 2010; Nghị định 28/2012/NĐ-CP; Thông tư 01/2019/TT-BLĐTBXH",
        result="Giấy xác nhận khuyết tật",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị xác định mức độ khuyết tật (Mẫu số 01)"),
            _doc(
                "Giấy tờ khám, điều trị, kết luận của cơ quan y tế (nếu có)",
                "copy",
                mandatory=False,
            ),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s("Triệu tập Hội đồng xác định mức độ khuyết tật", "head", "2"),
            _s("Hội đồng quan sát, phỏng vấn, xác định mức độ khuyết tật", "specialist", "100"),
            _s("Tổng hợp kết luận của Hội đồng", "head", "16"),
            _s("Ký Giấy xác nhận khuyết tật", "leader", "16"),
            _s("In Giấy xác nhận khuyết tật, cập nhật dữ liệu", "specialist", "8"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "BTXH",
        legal_days="3",
        target_hours="20",
        supplement="continue",
        online="full",
        legal_basis="Nghị định 20/2021/NĐ-CP (sửa đổi bởi Nghị định 76/2024/NĐ-CP)",
        result="Quyết định hỗ trợ chi phí mai táng",
        offered_by=["commune"],
        documents=[
            _doc("Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04)"),
            _doc("Trích lục khai tử hoặc Giấy báo tử", "copy"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s("Thẩm định hồ sơ, dự thảo quyết định", "specialist", "10"),
            _s(_REVIEW, "head", "2"),
            _s("Ký quyết định hỗ trợ", "leader", "2"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    # ----------------------------------------------------------------- Văn hóa, tín ngưỡng
    _proc(
        "1.001029",
        "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "VH",
        legal_days="5",
        target_hours="36",
        supplement="restart",
        online="full",
        fee=4000000,
        fee_note="4.000.000 đồng (1–3 phòng); 6.000.000 đồng (4–5 phòng); 12.000.000 đồng (từ 6 phòng) — Thông tư 01/2021/TT-BTC",
        legal_basis="Nghị định 54/2019/NĐ-CP; Thông tư 01/2021/TT-BTC",
        result="Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        offered_by=["commune"],
        documents=[
            _doc("Đơn đề nghị cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (Mẫu số 01)"),
            _doc(
                "Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", "copy", mandatory=False
            ),
            _doc("Văn bản nghiệm thu về phòng cháy và chữa cháy", "copy"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "2"),
            _s("Thẩm định hồ sơ, kiểm tra thực tế điều kiện kinh doanh", "specialist", "24"),
            _s(_REVIEW, "head", "4"),
            _s("Ký giấy phép", "leader", "4"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
    _proc(
        "1.001055",
        "Đăng ký hoạt động tín ngưỡng",
        "TG",
        legal_days="15",
        target_hours="96",
        supplement="pause",
        online="partial",
        legal_basis="Luật Tín ngưỡng, tôn giáo 2016; Nghị định 95/2023/NĐ-CP",
        result="Văn bản chấp thuận hoặc trả lời về việc đăng ký hoạt động tín ngưỡng",
        offered_by=["commune"],
        documents=[
            _doc("Văn bản đăng ký hoạt động tín ngưỡng (Mẫu B1)"),
            _doc("Danh mục hoạt động tín ngưỡng (tên, thời gian, địa điểm, quy mô)"),
        ],
        steps=[
            _s(_RECEIVE, "receptionist", "2"),
            _s(_ASSIGN, "head", "4"),
            _s("Thẩm định nội dung đăng ký, kiểm tra cơ sở tín ngưỡng", "specialist", "72"),
            _s(_REVIEW, "head", "8"),
            _s("Ký văn bản trả lời", "leader", "8"),
            _s(_STAMP, "receptionist", "2"),
            _s(_RETURN, "receptionist", "0"),
        ],
    ),
]


# ---------------------------------------------------------------------------------------------
# Self-check: python3 motcua/demo/data.py
# ---------------------------------------------------------------------------------------------


def _check() -> list[str]:
    import re

    errors: list[str] = []

    def need(cond: object, message: str) -> None:
        if not cond:
            errors.append(message)

    # units
    units: dict[str, dict] = {}
    for u in UNITS:
        need(re.fullmatch(r"[A-Za-z0-9]+(\.[A-Za-z0-9]+)*", u["code"]), f"unit code {u['code']!r}")
        need(u["code"] not in units, f"duplicate unit {u['code']}")
        need(u["kind"] in UNIT_KINDS, f"unit {u['code']} kind {u['kind']}")
        need(
            u["parent"] is None or u["parent"] in units,
            f"unit {u['code']}: parent {u['parent']} missing or later",
        )
        need(u["name"] and u["address"], f"unit {u['code']} name/address")
        need(u["active"] == (u["retired_on"] is None), f"unit {u['code']} active/retired_on")
        units[u["code"]] = u
    roots = [u for u in UNITS if u["parent"] is None]
    need(len(roots) == 1 and roots[0]["code"] == CITY, "one root: the city")
    need(
        units.get(DEMO_WARD, {}).get("name") == "Phường Long Biên", "DEMO_WARD is Phường Long Biên"
    )
    need(sum(u["kind"] == "commune" and u["active"] for u in UNITS) == 6, "six active wards")
    need(any(not u["active"] for u in UNITS), "one retired unit")
    for code in (CITY_SERVICE_CENTER, SO_XAY_DUNG, SO_TU_PHAP, SO_NONG_NGHIEP_MOI_TRUONG):
        need(units[code]["parent"] == CITY, f"{code} under the city")
    for u in UNITS:
        if u["kind"] == "commune" and u["active"]:
            kids = [c for c in UNITS if c["parent"] == u["code"]]
            need(
                sum(c["kind"] == "service_center" for c in kids) == 1, f"{u['code']} service centre"
            )
            need(2 <= sum(c["kind"] == "division" for c in kids) <= 3, f"{u['code']} divisions")

    # staff
    usernames: set[str] = set()
    phones: set[str] = set()
    names: set[str] = set()
    seats: set[tuple[str, str]] = set()
    for s in STAFF:
        need(re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)?", s["username"]), f"username {s['username']!r}")
        need(s["username"] not in usernames, f"duplicate username {s['username']}")
        need(s["username"] != "admin", "admin must not be in STAFF")
        need(re.fullmatch(r"0[389][0-9]{8}", s["phone"]), f"phone {s['phone']}")
        need(s["phone"] not in phones, f"duplicate phone {s['phone']}")
        need(s["full_name"] not in names, f"duplicate name {s['full_name']}")
        need(
            re.fullmatch(r"[a-z0-9.]+@[a-z0-9.]+\.demo\.motcua\.vn", s["email"]),
            f"email {s['email']}",
        )
        need(len(s["full_name"].split()) >= 3, f"full name {s['full_name']}")
        usernames.add(s["username"])
        phones.add(s["phone"])
        names.add(s["full_name"])
        for code, role in s["memberships"]:
            need(code in units and units[code]["active"], f"{s['username']}: unit {code}")
            need(role in ROLES, f"{s['username']}: role {role}")
            seats.add((code, role))
    demo = {s["username"]: set(s["memberships"]) for s in STAFF}
    for username, role in (
        ("tiepnhan", "receptionist"),
        ("chuyenvien", "specialist"),
        ("truongphong", "head"),
        ("lanhdao", "leader"),
        ("giamsat", "supervisor"),
    ):
        need((DEMO_WARD, role) in demo.get(username, set()), f"demo account {username}")
    need((_DEMO_SC, "receptionist") in demo["tiepnhan"], "tiepnhan at the ward service centre")
    for u in UNITS:
        if u["active"]:
            wanted = ("head", "specialist") if u["kind"] == "division" else ROLES
            for role in wanted:
                need((u["code"], role) in seats, f"nobody is {role} in {u['code']}")

    # focal points
    need(len(FOCAL_POINTS) >= 25, "at least 25 focal points")
    need(
        sum(f["unit"].startswith(DEMO_WARD) for f in FOCAL_POINTS) >= 10,
        "about 12 for the demo ward",
    )
    hotline = [f for f in FOCAL_POINTS if f["phone"] == CITY_HOTLINE]
    need(
        hotline
        and hotline[0]["unit"] == CITY_SERVICE_CENTER
        and hotline[0]["zalo"]
        and hotline[0]["viber"],
        "city hotline",
    )
    for f in FOCAL_POINTS:
        need(f["unit"] in units, f"focal point unit {f['unit']}")
        need(re.fullmatch(r"0[0-9]{2,3}(\.[0-9]{3,4}){2}", f["phone"]), f"focal phone {f['phone']}")
        need(
            not f["zalo"] or re.fullmatch(r"0[0-9]{3}\.[0-9]{3}\.[0-9]{3}", f["zalo"]),
            f"zalo {f['zalo']}",
        )
        need(f["email"].endswith(".demo.motcua.vn"), f"focal email {f['email']}")
        need(f["title"] and f["person"] and f["hours"] and f["order"] >= 1, f"focal point {f}")

    # fields and procedures
    fields = {f["code"] for f in FIELDS}
    need(len(fields) == len(FIELDS), "duplicate field codes")
    need(len(PROCEDURES) >= 30, "at least 30 procedures")
    codes: set[str] = set()
    inter_agency = 0
    green = 0
    used_fields: set[str] = set()
    for p in PROCEDURES:
        c = p["code"]
        need(re.fullmatch(r"[0-9]\.[0-9]{6}", c), f"procedure code {c!r}")
        need(c not in codes, f"duplicate procedure {c}")
        codes.add(c)
        need(p["field"] in fields, f"{c}: field {p['field']}")
        used_fields.add(p["field"])
        days, hours, target = (
            p["legal_working_days"],
            p["legal_working_hours"],
            p["target_working_hours"],
        )
        need((days is None) != (hours is None), f"{c}: exactly one of legal days/hours")
        need(p["deadline_mode"] == ("hour" if hours is not None else "day"), f"{c}: deadline mode")
        for value in (days, hours, target, p["green_lane_working_hours"]):
            need(
                value is None or (isinstance(value, Decimal) and value >= 0), f"{c}: Decimal values"
            )
        if days is not None and days > 0:
            need(target <= days * 8, f"{c}: target above legal time")
        if days == 0:
            need(p["cutoff_time"] == "15:00" and 0 < target <= 8, f"{c}: same-day procedure")
        if hours is not None:
            need(target <= hours, f"{c}: target above legal hours")
        need(
            p["cutoff_time"] is None or re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", p["cutoff_time"]),
            f"{c}: cutoff",
        )
        need(p["supplement_policy"] in ("restart", "pause", "continue"), f"{c}: supplement policy")
        need(p["online_mode"] in ("full", "partial", "none"), f"{c}: online mode")
        need(isinstance(p["fee"], int) and p["fee"] >= 0 and p["fee_note"], f"{c}: fee")
        need(p["legal_basis"] and p["result_name"] and p["name"], f"{c}: texts")
        if p["green_lane_group"] is not None:
            green += 1
            need(p["green_lane_group"] in GREEN_LANE_GROUPS, f"{c}: green lane group")
            legal_hours = days * 8 if days is not None else hours
            gl = p["green_lane_working_hours"]
            need(gl is None or gl <= legal_hours * D("0.4"), f"{c}: green-lane time above 40 %")
        else:
            need(p["green_lane_working_hours"] is None, f"{c}: green-lane hours without a group")
        need(p["documents"], f"{c}: documents")
        for d in p["documents"]:
            need(set(d) == {"name", "form", "copies", "mandatory"}, f"{c}: document keys")
            need(
                d["form"] in ("original", "copy", "certified_copy", "original_or_copy"),
                f"{c}: form",
            )
            need(d["copies"] >= 1, f"{c}: copies")
        steps = p["steps"]
        need(
            steps and sum((s["hours"] for s in steps), D(0)) == target,
            f"{c}: steps do not add up to target",
        )
        need(steps[0]["role"] == "receptionist", f"{c}: first step is reception")
        for s in steps:
            need(set(s) == {"name", "role", "hours", "unit_kind", "unit"}, f"{c}: step keys")
            need(s["role"] in ROLES, f"{c}: step role {s['role']}")
            need(isinstance(s["hours"], Decimal) and s["hours"] >= 0, f"{c}: step hours")
            need(s["unit"] is None or s["unit"] in units, f"{c}: step unit {s['unit']}")
            need(
                s["unit_kind"] is None or s["unit_kind"] in UNIT_KINDS,
                f"{c}: step kind {s['unit_kind']}",
            )
            need(s["unit"] is None or s["unit_kind"] is None, f"{c}: step with both unit and kind")
        # every offering unit can run every step with somebody holding the role
        receivers: list[str] = []
        for o in p["offered_by"]:
            if o in UNIT_KINDS:
                receivers += [u["code"] for u in UNITS if u["kind"] == o and u["active"]]
            else:
                need(o in units and units[o]["active"], f"{c}: offered_by {o}")
                receivers.append(o)
        need(receivers, f"{c}: nobody offers it")
        crosses = False
        for r in receivers:
            for s in steps:
                at = s["unit"] or r
                if s["unit_kind"]:
                    at = r
                    while at is not None and units[at]["kind"] != s["unit_kind"]:
                        at = units[at]["parent"]
                    need(at is not None, f"{c}: no {s['unit_kind']} above {r}")
                if at is not None:
                    need((at, s["role"]) in seats, f"{c}: nobody is {s['role']} in {at}")
                    crosses = crosses or at != r
        inter_agency += crosses
    need(inter_agency >= 5, f"only {inter_agency} inter-agency procedures")
    need(2 <= green <= 4, f"{green} green-lane procedures")
    need(used_fields == fields, f"unused fields {fields - used_fields}")
    need(UNVERIFIED_CODES <= codes, f"unknown unverified codes {UNVERIFIED_CODES - codes}")
    return errors


if __name__ == "__main__":
    _errors = _check()
    for _e in _errors:
        print("ERROR:", _e)  # noqa: T201
    if _errors:
        raise SystemExit(1)
    print(  # noqa: T201
        f"OK: {len(UNITS)} units, {len(STAFF)} staff, {len(FOCAL_POINTS)} focal points, "
        f"{len(FIELDS)} fields, {len(PROCEDURES)} procedures"
    )
