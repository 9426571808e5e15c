#!/usr/bin/env python3
"""Writes default.json, the sandbox's built-in demo data (committed; embedded by src/seed.rs).

Deterministic: a fixed random seed, so running it again gives the same bytes. Edit this
script, not the JSON, then run `python3 src-tauri/sandbox/seed/make-seed.py` and commit both.

What the data must contain (the tests in tests/sandbox/seed.rs check it):
* merchant 452739 with user LOGIN/PASSWORD and customer 1234 holding the cards of the
  gateway documentation's examples (docs/assist-api.md §4.1, §5) with their exact tokens;
* users for every credential fault of docs/assist-api.md §6.4 (no web-service rights, a login of
  another merchant, a merchant with One Click switched off), a Belarus merchant and an EN one;
* at least 50 customers of 452739: Cyrillic and Latin banks, VISA / MasterCard / MIR,
  expired, inactive and needCVC cards, no cards, exactly 25 cards, every asset type, PDF logos,
  every "no media" form ("" / [] / null / key missing), text terms;
* tokens shaped like the gateway's (§7.2, §11.7): uppercase hex 8-4-4-4-12, third group
  starting with 4, the fourth group's first nibble cycling over 0-F.
"""

import json
import os
import random

rng = random.Random(452739)
HEX = "0123456789ABCDEF"
_variant = iter(HEX * 1000)


def hexes(n):
    return "".join(rng.choice(HEX) for _ in range(n))


def token():
    return f"{hexes(8)}-{hexes(4)}-4{hexes(3)}-{next(_variant)}{hexes(3)}-{hexes(12)}"


def post():
    # About one in five has a leading zero, so clients must keep `post` a string.
    if rng.random() < 0.2:
        return f"0{rng.randint(0, 999):03d}"
    return f"{rng.randint(1000, 9999)}"


PAYMENT_TYPE = {"VISA": "VISA", "MasterCard": "MC", "MIR": "MIR"}
BRAND_ART = {"VISA": "visa", "MasterCard": "mc", "MIR": "mir"}
ISSUER_ART = {
    "Сбербанк": "sber",
    "Т-Банк": "tbank",
    "Альфа-Банк": "alfa",
    "ВТБ": "vtb",
    "Беларусбанк": "belarusbank",
    "Bank USA": "bankusa",
}
BINS = {
    ("Сбербанк", "VISA"): [427601, 427901, 427638],
    ("Сбербанк", "MasterCard"): [546901, 548401],
    ("Сбербанк", "MIR"): [220220],
    ("Т-Банк", "VISA"): [437772],
    ("Т-Банк", "MasterCard"): [553691, 521324],
    ("Т-Банк", "MIR"): [220070],
    ("Альфа-Банк", "VISA"): [415428, 477964],
    ("Альфа-Банк", "MasterCard"): [548601, 548673],
    ("Альфа-Банк", "MIR"): [220015],
    ("ВТБ", "VISA"): [418868, 427229],
    ("ВТБ", "MasterCard"): [527883],
    ("ВТБ", "MIR"): [220024],
    ("Газпромбанк", "VISA"): [424974],
    ("Газпромбанк", "MasterCard"): [548999],
    ("Газпромбанк", "MIR"): [220001],
    ("Райффайзенбанк", "VISA"): [462729],
    ("Райффайзенбанк", "MasterCard"): [510070],
    ("", "VISA"): [412362, 400000],
    ("", "MasterCard"): [518615, 520000],
    ("Bank USA", "VISA"): [414720],
    ("Bank USA", "MasterCard"): [546792],
    ("Беларусбанк", "VISA"): [423078],
    ("Беларусбанк", "MasterCard"): [535106],
    ("Приорбанк", "VISA"): [425600],
    ("Приорбанк", "MasterCard"): [530015],
    ("Белагропромбанк", "VISA"): [426896],
}
RU_BANKS = ["Сбербанк", "Т-Банк", "Альфа-Банк", "ВТБ", "Газпромбанк", "Райффайзенбанк", "", "Bank USA"]
BY_BANKS = ["Беларусбанк", "Приорбанк", "Белагропромбанк"]


def media(name, media_type="image/png", width=None, height=None):
    return {"media": name, "mediaType": media_type, "width": width, "height": height}


def asset(asset_type, payment_type, alt_text, *data):
    return {"assetType": asset_type, "altText": alt_text, "paymentType": payment_type, "assetData": list(data)}


def standard_assets(bank, brand):
    """The usual art of a card: icon, a background (issuer-combined when the bank has art), issuer logo."""
    pt = PAYMENT_TYPE[brand]
    art = BRAND_ART[brand]
    out = [asset("ICON", pt, "cardSymbol", media(f"{art}-icon.png", width=100, height=100))]
    issuer = ISSUER_ART.get(bank)
    if issuer and rng.random() < 0.6:
        out.append(asset("CARD_BACKGROUND_COMBINED", pt, "digitalCardArt",
                         media(f"{issuer}-combined.png", width=768, height=484)))
    else:
        out.append(asset("CARD_BACKGROUND", pt, "digitalCardArt",
                         media(f"{art}-background.png", width=768, height=484)))
    if issuer and rng.random() < 0.5:
        out.append(asset("ISSUER_LOGO", pt, None, media(f"{issuer}-logo.png", width=344, height=71)))
    return out


def card(bank, brand, expire=None, active=None, need_cvc=None, state="member", assets="standard", tok=None, bin_=None, last4=None):
    if expire is None:
        expire = f"{rng.randint(1, 12):02d}.{rng.randint(2026, 2031)}"
    if active is None:
        active = state == "member"
    if need_cvc is None:
        need_cvc = rng.random() < 0.3
    out = {
        "expire": expire,
        "token": tok or token(),
        "bank": bank,
        "brand": brand,
        "bin": bin_ or rng.choice(BINS[(bank, brand)]),
        "active": active,
        "needCVC": need_cvc,
        "post": last4 or post(),
    }
    if assets == "standard":
        out["assets"] = standard_assets(bank, brand)
    elif assets != "missing":
        out["assets"] = assets
    if state != "member":
        out["state"] = state
    return out


def random_card(banks):
    bank = rng.choice(banks)
    brands = [b for (k, b) in BINS if k == bank]
    brand = rng.choice(brands)
    roll = rng.random()
    if roll < 0.12:
        return card(bank, brand, expire=f"{rng.randint(1, 12):02d}.{rng.randint(2023, 2024)}", state="expired")
    if roll < 0.17:
        return card(bank, brand, state="fraud")
    if roll < 0.25:
        return card(bank, brand, assets=rng.choice(["", [], None, "missing"]))
    return card(bank, brand)


def customer(number, cards, status="member", note=None):
    out = {"customerNumber": number, "status": status}
    if note:
        out["note"] = note
    out["cards"] = cards
    return out


# --- merchant 452739: the documentation's merchant and the desktop app's demo profile --------

doc_visa = card("", "VISA", expire="12.2025", active=True, need_cvc=False,
                tok="49D902C6-1CCF-4605-9228-11D0E8115C77", bin_=412362, last4="0028", assets=[
                    asset("ICON", "VISA", "cardSymbol", media("visa-icon.png", width=100, height=100)),
                    asset("CARD_BACKGROUND", "VISA", "digitalCardArt",
                          media("visa-background.png", width=1536, height=969)),
                ])
doc_mc = card("", "MasterCard", expire="12.2025", active=True, need_cvc=False,
              tok="4D7F0B0D-B701-47B0-779A-BB0CB5F25A14", bin_=518615, last4="1030", assets=[
                  asset("BRAND_LOGO", "MC", None, media("mc-logo.pdf", "image/pdf")),
                  asset("ICON", "MC", None, media("mc-icon.png", width=100, height=100)),
                  asset("CARD_BACKGROUND_COMBINED", "MC", None, media("mc-background.png", width=1536, height=969)),
                  asset("ISSUER_LOGO", "MC", None, media("bankusa-logo.png", width=1372, height=283)),
              ])
doc_removable = card("Сбербанк", "MIR", expire="09.2027", active=True, need_cvc=True,
                     tok="54F5A3DE-4B47-4B40-03B5-7FF992D6B401", bin_=220220, last4="4417", assets=[
                         asset("ICON", "MIR", "cardSymbol", media("mir-icon.png", width=100, height=100)),
                         asset("CARD_BACKGROUND_COMBINED", "MIR", "digitalCardArt",
                               media("sber-combined.png", width=768, height=484)),
                     ])

every_asset_type = card("Альфа-Банк", "VISA", expire="03.2029", need_cvc=False, assets=[
    asset("BRAND_LOGO", "VISA", "brandLogo", media("visa-logo.png", width=100, height=100)),
    asset("ISSUER_LOGO", "VISA", "issuerLogo", media("alfa-logo.png", width=344, height=71)),
    asset("CO_BRAND_LOGO", "VISA", "coBrandLogo", media("cobrand-miles.png", width=100, height=100)),
    asset("CARD_BACKGROUND_COMBINED", "VISA", "digitalCardArt", media("alfa-combined.png", width=768, height=484)),
    asset("CARD_BACKGROUND", "VISA", "digitalCardArt", media("visa-background.png", width=768, height=484)),
    asset("ICON", "VISA", "cardSymbol", media("visa-icon.png", width=100, height=100)),
    asset("TERMS_AND_CONDITIONS", "VISA", "termsAndConditions", media("terms-ru.txt", "text/plain")),
])
terms_variants = card("Т-Банк", "MasterCard", expire="11.2028", need_cvc=True, assets=[
    asset("ICON", "MC", "cardSymbol", media("mc-icon.png", width=100, height=100)),
    asset("CARD_BACKGROUND_COMBINED", "MC", "digitalCardArt", media("tbank-combined.png", width=768, height=484)),
    asset("TERMS_AND_CONDITIONS", "MC", "termsAndConditions", media("terms-en.txt", "text/plain")),
    asset("TERMS_AND_CONDITIONS", "MC", "termsAndConditions", media("terms.html", "text/html")),
])

demo = [
    customer("1234", [doc_visa, doc_mc, doc_removable],
             note="docs/assist-api.md §4.1 list example (first two cards)"
                  " and §5 rem_token example (third)"),
    customer("100000", [], status="new", note="known customer without saved cards"),
    customer("100001", [], status="deny", note="refused One Click: no cards"),
    customer("100025", [random_card(RU_BANKS) for _ in range(25)], note="exactly 25 cards"),
    customer("100301", [
        card("Сбербанк", "VISA", expire="01.2024", state="expired"),
        card("Т-Банк", "MIR", expire="08.2029"),
    ], note="one expired card (01.2024, active false) and one valid"),
    customer("100302", [
        card("ВТБ", "MasterCard", expire="01.2024", state="expired"),
        card("Альфа-Банк", "MIR", expire="06.2024", state="expired"),
    ], status="notActive", note="all cards expired"),
    customer("100303", [
        card("Газпромбанк", "VISA", state="fraud"),
        card("Газпромбанк", "MIR", expire="02.2030"),
    ], status="suspicious", note="a fraud card (active false) beside a good one"),
    customer("100304", [
        card("Сбербанк", "MIR", expire="05.2030", need_cvc=True),
        card("Альфа-Банк", "MasterCard", expire="10.2028", need_cvc=True),
    ], note="needCVC cards"),
    customer("100500", [
        card("Т-Банк", "VISA", expire="07.2029", assets=[
            asset("BRAND_LOGO", "VISA", "brandLogo", media("visa-logo.pdf", "image/pdf")),
            asset("CARD_BACKGROUND", "VISA", "digitalCardArt", media("visa-background.png", width=768, height=484)),
        ]),
        card("ВТБ", "MasterCard", expire="04.2028", assets=[
            asset("BRAND_LOGO", "MC", None, media("mc-logo.pdf", "application/pdf")),
            asset("CARD_BACKGROUND_COMBINED", "MC", None, media("vtb-combined.png", width=768, height=484)),
        ]),
    ], note="PDF brand logos: image/pdf (VISA) and application/pdf (MC), width/height null"),
    customer("100600", [card("Сбербанк", "VISA", expire="12.2027", assets="")], note='no media: assets ""'),
    customer("100601", [card("Bank USA", "MasterCard", expire="12.2025", active=True, need_cvc=False,
                             tok="91720736-CF93-469C-63A0-E5859815D6BA", bin_=546792, last4="4128", assets=[])],
             note="no media: assets [] (fixtures/assist/token-response-no-media.json)"),
    customer("100602", [card("ВТБ", "MIR", expire="03.2028", assets=None)], note="no media: assets null"),
    customer("100603", [card("Альфа-Банк", "VISA", expire="09.2026", assets="missing")],
             note="no media: assets key missing"),
    customer("100700", [every_asset_type, terms_variants],
             note="every asset type; terms as text/plain (RU, EN) and text/html"),
    customer("100800", [
        card("Сбербанк", "MasterCard", expire="02.2029", state="deleted"),
        card("Сбербанк", "MIR", expire="02.2031"),
    ], note="one card already deleted in the Personal Account (not listed)"),
    customer("100900", [
        card("Сбербанк", "VISA", expire="05.2028", last4="4417"),
        card("Т-Банк", "MIR", expire="10.2030", last4="4417"),
        card("ВТБ", "MasterCard", expire="08.2029", last4="5512"),
    ], note="two cards share the last 4 (4417): told apart by expiry and bank"),
    customer("CRM-100234", [random_card(RU_BANKS) for _ in range(2)], note="alphanumeric customer number"),
    customer("КЛ-000731", [card("Сбербанк", "MIR", expire="11.2029"), card("ВТБ", "VISA", expire="01.2027")],
             note="Cyrillic customer number"),
    customer("ivan.petrov@example.ru", [random_card(RU_BANKS)], note="e-mail as customer number"),
    customer("79161234567", [random_card(RU_BANKS) for _ in range(2)], note="phone number as customer number"),
    customer("A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6", [random_card(RU_BANKS)], note="exactly 32 characters"),
    customer("crm-7731-b", [random_card(RU_BANKS)], note="lower-case letters"),
]
numbers = set(c["customerNumber"] for c in demo)
while len(demo) < 56:
    number = rng.choice([f"{rng.randint(100900, 199999)}", f"C{rng.randint(1000, 99999):07d}",
                         f"ORD-2025-{rng.randint(1, 999999):06d}"])
    if number in numbers:
        continue
    numbers.add(number)
    demo.append(customer(number, [random_card(RU_BANKS) for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))]))

# --- other merchants -------------------------------------------------------------------------

belarus = [
    customer("BY-000117", [card("Беларусбанк", "VISA", expire="05.2028"), card("Приорбанк", "MasterCard")]),
    customer("375291234567", [card("Беларусбанк", "MasterCard", expire="12.2027")], note="phone number"),
    customer("BY-000204", [
        card("Белагропромбанк", "VISA", expire="02.2024", state="expired"),
        {"expire": "10.2029", "token": token(), "bank": "Беларусбанк", "brand": "BELKART", "bin": 911200,
         "active": True, "needCVC": True, "post": post()},
    ], note="a BELKART card without media: brand outside VISA/MasterCard/MIR"),
] + [customer(f"BY-{rng.randint(300, 999):06d}", [random_card(BY_BANKS)]) for _ in range(4)]

english = [
    customer("NW-10001", [card("Bank USA", "VISA"), card("", "MasterCard")]),
    customer("NW-10002", [card("Bank USA", "MasterCard", expire="01.2024", state="expired")]),
    customer("NW-10003", []),
    customer("1234", [card("", "VISA", expire="06.2030")], note="same number as at 452739, different customer"),
]

switched_off = [customer("1234", [card("ВТБ", "VISA", expire="06.2030")])]

seed = {
    "about": "Card Desk sandbox demo data. Generated by make-seed.py; edit the script, not this file.",
    "merchants": [
        {"merchantId": 452739, "name": "Демо-магазин (примеры документации Assist)", "region": "RU",
         "language": "RU", "oneClick": {"enabled": True, "mode": "standard"}, "customers": demo},
        {"merchantId": 452740, "name": "Демо-магазин 2 (One Click выключен)", "region": "RU",
         "language": "RU", "oneClick": {"enabled": False, "mode": "standard"}, "customers": switched_off},
        {"merchantId": 600123, "name": "ООО «Минский торговый дом»", "region": "BY",
         "language": "RU", "oneClick": {"enabled": True, "mode": "storedOnly"}, "customers": belarus},
        {"merchantId": 700001, "name": "Northwind Travel Ltd", "region": "RU",
         "language": "EN", "oneClick": {"enabled": True, "mode": "standard"}, "customers": english},
    ],
    "users": [
        {"login": "LOGIN", "password": "PASSWORD", "merchantId": 452739, "webService": True,
         "note": "the documentation's example credentials"},
        {"login": "REPORTS_ONLY", "password": "Reports2024", "merchantId": 452739, "webService": False,
         "note": "no web-service rights: fault 19/350"},
        {"login": "ONECLICK_OFF", "password": "OneClickOff1", "merchantId": 452740, "webService": True,
         "note": "merchant has One Click switched off: fault 19/350"},
        {"login": "MINSK_API", "password": "Minsk2024pass", "merchantId": 600123, "webService": True,
         "note": "Belarus merchant; with merchant 452739 it gives fault 14/200"},
        {"login": "TRAVEL_API", "password": "Travel2024pass", "merchantId": 700001, "webService": True,
         "note": "merchant whose language is EN"},
    ],
}


# --- output: one card per line head, one asset per line, so diffs stay readable -------------

def dump(value):
    return json.dumps(value, ensure_ascii=False)


def card_lines(c, indent):
    head = {k: v for k, v in c.items() if k != "assets"}
    text = dump(head)[:-1]
    if "assets" not in c:
        return [indent + text + "}"]
    assets = c["assets"]
    if not isinstance(assets, list) or not assets:
        return [indent + text + ', "assets": ' + dump(assets) + "}"]
    lines = [indent + text + ', "assets": [']
    for i, a in enumerate(assets):
        lines.append(indent + "  " + dump(a) + ("," if i + 1 < len(assets) else ""))
    lines.append(indent + "]}")
    return lines


def customer_lines(c, indent):
    head = {k: v for k, v in c.items() if k != "cards"}
    if not c["cards"]:
        return [indent + dump(head)[:-1] + ', "cards": []}']
    lines = [indent + dump(head)[:-1] + ', "cards": [']
    for i, cd in enumerate(c["cards"]):
        cl = card_lines(cd, indent + "  ")
        if i + 1 < len(c["cards"]):
            cl[-1] += ","
        lines += cl
    lines.append(indent + "]}")
    return lines


out = ["{", f'  "about": {dump(seed["about"])},', '  "merchants": [']
for mi, m in enumerate(seed["merchants"]):
    head = {k: v for k, v in m.items() if k != "customers"}
    out.append("    " + dump(head)[:-1] + ', "customers": [')
    for ci, c in enumerate(m["customers"]):
        cl = customer_lines(c, "      ")
        if ci + 1 < len(m["customers"]):
            cl[-1] += ","
        out += cl
    out.append("    ]}" + ("," if mi + 1 < len(seed["merchants"]) else ""))
out.append("  ],")
out.append('  "users": [')
for ui, u in enumerate(seed["users"]):
    out.append("    " + dump(u) + ("," if ui + 1 < len(seed["users"]) else ""))
out.append("  ]")
out.append("}")
text = "\n".join(out) + "\n"
assert json.loads(text) == seed

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "default.json"), "w", encoding="utf-8") as f:
    f.write(text)
