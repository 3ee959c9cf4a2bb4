"""prices: issue 6: commodities, places, prices, alerts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CITIZEN = sa.text("origin != 'citizen'")
PENDING = sa.text("status = 'pending'")

# code, Indonesian, English, farmers' and official tables' words, unit, quality (id, en)
COMMODITIES = [
    ("karet", "Karet", "Rubber",
     "karet,getah,getah karet,para,lateks,latex,lum,lump,slab,bokar,karet alam,rubber",
     "kg", ("KKK", "DRC")),
    ("tbs", "TBS sawit", "Oil palm fruit (FFB)",
     "tbs,sawit,kelapa sawit,buah sawit,tandan buah segar,tandan sawit,ffb,oil palm,palm",
     "kg", ("Umur tanaman", "Palm age")),
    ("kopi_robusta", "Kopi robusta", "Robusta coffee",
     "kopi,robusta,kopi robusta,kopi biji,kopi ose,kopi beras,coffee",
     "kg", ("Mutu", "Grade")),
    ("kopi_arabika", "Kopi arabika", "Arabica coffee",
     "arabika,arabica,kopi arabika,kopi arabica", "kg", None),
    ("kayu_manis", "Kayu manis", "Cinnamon",
     "kayu manis,kulit manis,cassiavera,casiavera,kasiavera,cassia,cinnamon", "kg", None),
    ("pinang", "Pinang", "Areca nut",
     "pinang,pinang kering,pinang biji,buah pinang,pinang belah,areca,betel nut", "kg", None),
    ("gabah", "Gabah", "Paddy (unhusked rice)",
     "gabah,padi,gabah kering,paddy", "kg", ("Mutu", "Grade")),
    ("beras", "Beras", "Rice", "beras,rice", "kg", ("Mutu", "Grade")),
    ("jagung", "Jagung pipil", "Maize (shelled)",
     "jagung,jagung pipil,jagung kering,jagung pakan,maize,corn", "kg", None),
    ("cabai_merah", "Cabai merah", "Red chilli",
     "cabai merah,cabe merah,cabai,cabe,lado,lado merah,red chilli,chilli,chili",
     "kg", ("Jenis", "Type")),
    ("cabai_rawit", "Cabai rawit", "Bird's eye chilli",
     "cabai rawit,cabe rawit,rawit,lado rawit,bird's eye chilli", "kg", ("Jenis", "Type")),
    ("bawang_merah", "Bawang merah", "Shallot", "bawang merah,bawang,shallot,shallots", "kg",
     None),
    ("bawang_putih", "Bawang putih", "Garlic", "bawang putih,garlic", "kg", None),
    ("kentang", "Kentang", "Potato", "kentang,potato,potatoes", "kg", None),
    ("minyak_goreng", "Minyak goreng", "Cooking oil",
     "minyak goreng,migor,minyak,cooking oil", "liter", ("Jenis", "Type")),
    ("gula_pasir", "Gula pasir", "Sugar", "gula pasir,gula,gula konsumsi,sugar", "kg", None),
    ("telur_ayam", "Telur ayam ras", "Chicken eggs",
     "telur ayam,telur ayam ras,telur,egg,eggs", "kg", None),
    ("daging_ayam", "Daging ayam ras", "Chicken meat",
     "daging ayam,daging ayam ras,ayam,ayam potong,chicken", "kg", None),
]

# commodity code → (quality code, Indonesian, English, words)
QUALITIES = {
    "karet": [(kkk, f"KKK {kkk}%", f"DRC {kkk}%", f"kkk {kkk},kkk{kkk},{kkk}%")
              for kkk in ("40", "50", "60", "70", "100")],
    "tbs": [
        *[(age, f"umur {age} tahun", f"palms aged {age}", f"{age} tahun,umur {age}")
          for age in ("3", "4", "5", "6", "7", "8", "9")],
        ("10-20", "umur 10–20 tahun", "palms aged 10–20", "10 - 20,10 s/d 20,10 sd 20"),
        ("21-24", "umur 21–24 tahun", "palms aged 21–24", "21 - 24,21 s/d 24,21 sd 24"),
        ("25+", "umur 25 tahun ke atas", "palms aged 25 and over",
         "25,>25,≥25,25 ke atas,25 tahun ke atas"),
    ],
    "kopi_robusta": [
        ("asalan", "asalan", "ungraded (asalan)", "asalan,campur"),
        ("petik_merah", "petik merah", "red-picked", "petik merah,merah,red"),
    ],
    "gabah": [
        ("gkp", "GKP (kering panen)", "GKP (fresh harvest)", "gkp,kering panen"),
        ("gkg", "GKG (kering giling)", "GKG (dried for milling)", "gkg,kering giling"),
    ],
    "beras": [
        ("medium", "medium", "medium", "medium"),
        ("premium", "premium", "premium", "premium"),
    ],
    "cabai_merah": [
        ("keriting", "keriting", "curly", "keriting"),
        ("besar", "besar", "large", "besar"),
    ],
    "cabai_rawit": [
        ("merah", "rawit merah", "red", "merah"),
        ("hijau", "rawit hijau", "green", "hijau"),
    ],
    "minyak_goreng": [
        ("kemasan", "kemasan", "packaged", "kemasan"),
        ("curah", "curah", "bulk", "curah"),
    ],
}

KECAMATAN = [
    ("15.02.01", "Jangkat"), ("15.02.02", "Bangko"), ("15.02.03", "Muara Siau"),
    ("15.02.04", "Sungai Manau"), ("15.02.05", "Tabir"), ("15.02.06", "Pamenang"),
    ("15.02.07", "Tabir Ulu"), ("15.02.08", "Tabir Selatan"), ("15.02.09", "Lembah Masurai"),
    ("15.02.10", "Bangko Barat"), ("15.02.11", "Nalo Tantan"), ("15.02.12", "Batang Masumai"),
    ("15.02.13", "Pamenang Barat"), ("15.02.14", "Tabir Ilir"), ("15.02.15", "Tabir Timur"),
    ("15.02.16", "Renah Pembarap"), ("15.02.17", "Pangkalan Jambu"),
    ("15.02.18", "Jangkat Timur"), ("15.02.19", "Renah Pamenang"),
    ("15.02.20", "Pamenang Selatan"), ("15.02.21", "Margo Tabir"), ("15.02.22", "Tabir Lintas"),
    ("15.02.23", "Tabir Barat"), ("15.02.24", "Tiang Pumpung"),
]

# code, name, kind, kecamatan
PLACES = [
    ("disbun-jambi", "Disbun Provinsi Jambi", "penetapan", None),
    ("pasar-rakyat-bangko", "Pasar Rakyat Bangko", "pasar", "15.02.02"),
    ("pasar-baru-bangko", "Pasar Baru Bangko", "pasar", "15.02.02"),
    ("pasar-rantau-panjang", "Pasar Rantau Panjang", "pasar", "15.02.05"),
    ("pasar-muara-siau", "Pasar Muara Siau", "pasar", "15.02.03"),
    ("pasar-masurai", "Pasar Masurai", "pasar", "15.02.09"),
    ("muara-madras", "Muara Madras", "pasar", "15.02.01"),
    ("pihps-jambi", "Provinsi Jambi (PIHPS)", "referensi", None),
    ("bapanas-merangin", "Kab. Merangin (Panel Harga Bapanas)", "referensi", None),
    *[(f"kebun-{code}", f"Kec. {name}", "kebun", code) for code, name in KECAMATAN],
]


def upgrade() -> None:
    commodities = op.create_table(
        "commodities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_id", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), nullable=False),
        sa.Column("words", sa.String(length=500), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("quality_id", sa.String(length=64), nullable=True),
        sa.Column("quality_en", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("unit IN ('kg', 'liter')", name=op.f("ck_commodities_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commodities")),
        sa.UniqueConstraint("code", name=op.f("uq_commodities_code")),
    )
    qualities = op.create_table(
        "commodity_qualities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commodity_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_id", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), nullable=False),
        sa.Column("words", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["commodity_id"], ["commodities.id"], ondelete="CASCADE",
                                name=op.f("fk_commodity_qualities_commodity_id_commodities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commodity_qualities")),
        sa.UniqueConstraint("commodity_id", "code", name="uq_commodity_qualities_code"),
    )
    places = op.create_table(
        "price_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('pasar', 'kebun', 'penetapan', 'referensi')",
                           name=op.f("ck_price_points_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_points")),
        sa.UniqueConstraint("code", name=op.f("uq_price_points_code")),
    )
    with op.batch_alter_table("price_points") as batch_op:
        batch_op.create_index(batch_op.f("ix_price_points_region_code"), ["region_code"])

    op.create_table(
        "prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commodity_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("quality", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('produsen', 'grosir', 'eceran', 'penetapan')",
                           name=op.f("ck_prices_level")),
        sa.CheckConstraint("origin IN ('staff', 'import', 'citizen', 'demo')",
                           name=op.f("ck_prices_origin")),
        sa.CheckConstraint("status IN ('published', 'pending', 'rejected')",
                           name=op.f("ck_prices_status")),
        sa.CheckConstraint("value > 0", name=op.f("ck_prices_value_positive")),
        sa.ForeignKeyConstraint(["commodity_id"], ["commodities.id"],
                                name=op.f("fk_prices_commodity_id_commodities")),
        sa.ForeignKeyConstraint(["place_id"], ["price_points.id"],
                                name=op.f("fk_prices_place_id_price_points")),
        sa.ForeignKeyConstraint(["reported_by"], ["members.id"], ondelete="SET NULL",
                                name=op.f("fk_prices_reported_by_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prices")),
    )
    with op.batch_alter_table("prices") as batch_op:
        batch_op.create_index("ix_prices_commodity_observed", ["commodity_id", "observed_on"])
        batch_op.create_index("ix_prices_place_observed",
                              ["place_id", "observed_on", "commodity_id"])
        batch_op.create_index(
            "uq_prices_series_day",
            ["commodity_id", "place_id", "level", "quality", "observed_on"], unique=True,
            sqlite_where=NOT_CITIZEN, postgresql_where=NOT_CITIZEN,
        )
        batch_op.create_index("ix_prices_pending", ["status"], sqlite_where=PENDING,
                              postgresql_where=PENDING)
        batch_op.create_index(batch_op.f("ix_prices_reported_by"), ["reported_by"])

    op.create_table(
        "price_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("price_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("old_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("new_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("old_source", sa.String(length=120), nullable=True),
        sa.Column("new_source", sa.String(length=120), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("action IN ('replaced', 'updated', 'approved', 'rejected')",
                           name=op.f("ck_price_audit_action")),
        sa.ForeignKeyConstraint(["changed_by"], ["members.id"], ondelete="SET NULL",
                                name=op.f("fk_price_audit_changed_by_members")),
        sa.ForeignKeyConstraint(["price_id"], ["prices.id"], ondelete="SET NULL",
                                name=op.f("fk_price_audit_price_id_prices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_audit")),
    )
    with op.batch_alter_table("price_audit") as batch_op:
        batch_op.create_index(batch_op.f("ix_price_audit_changed_by"), ["changed_by"])
        batch_op.create_index(batch_op.f("ix_price_audit_price_id"), ["price_id"])

    op.create_table(
        "commodity_follows",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("commodity_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commodity_id"], ["commodities.id"], ondelete="CASCADE",
                                name=op.f("fk_commodity_follows_commodity_id_commodities")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_commodity_follows_member_id_members")),
        sa.PrimaryKeyConstraint("member_id", "commodity_id", name=op.f("pk_commodity_follows")),
    )
    with op.batch_alter_table("commodity_follows") as batch_op:
        batch_op.create_index(batch_op.f("ix_commodity_follows_commodity_id"), ["commodity_id"])

    op.create_table(
        "price_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("commodity_id", sa.Integer(), nullable=False),
        sa.Column("quality", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("beyond", sa.Boolean(), nullable=False),
        sa.Column("last_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('above', 'below')",
                           name=op.f("ck_price_alerts_direction")),
        sa.ForeignKeyConstraint(["commodity_id"], ["commodities.id"], ondelete="CASCADE",
                                name=op.f("fk_price_alerts_commodity_id_commodities")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_price_alerts_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_alerts")),
        sa.UniqueConstraint("member_id", "commodity_id", "quality", "direction", "threshold",
                            name="uq_price_alerts_member_id"),
    )
    with op.batch_alter_table("price_alerts") as batch_op:
        batch_op.create_index(batch_op.f("ix_price_alerts_commodity_id"), ["commodity_id"])

    op.create_table(
        "price_digests",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_price_digests_member_id_members")),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_price_digests")),
    )
    _seed(commodities, qualities, places)


def _seed(commodities: sa.Table, qualities: sa.Table, places: sa.Table) -> None:
    op.bulk_insert(commodities, [
        {"id": i, "code": code, "name_id": name_id, "name_en": name_en, "words": words,
         "unit": unit, "quality_id": quality[0] if quality else None,
         "quality_en": quality[1] if quality else None, "position": i, "data_version": 0}
        for i, (code, name_id, name_en, words, unit, quality) in enumerate(COMMODITIES, 1)
    ])
    ids = {code: i for i, (code, *_rest) in enumerate(COMMODITIES, 1)}
    op.bulk_insert(qualities, [
        {"commodity_id": ids[commodity], "code": code, "name_id": name_id, "name_en": name_en,
         "words": words, "position": position}
        for commodity, rows in QUALITIES.items()
        for position, (code, name_id, name_en, words) in enumerate(rows)
    ])
    op.bulk_insert(places, [
        {"code": code, "name": name, "kind": kind, "region_code": region, "position": i}
        for i, (code, name, kind, region) in enumerate(PLACES, 1)
    ])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('commodities', 'id'), "
                   "(SELECT max(id) FROM commodities))")


def downgrade() -> None:
    op.drop_table("price_digests")
    with op.batch_alter_table("price_alerts") as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_alerts_commodity_id"))
    op.drop_table("price_alerts")
    with op.batch_alter_table("commodity_follows") as batch_op:
        batch_op.drop_index(batch_op.f("ix_commodity_follows_commodity_id"))
    op.drop_table("commodity_follows")
    with op.batch_alter_table("price_audit") as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_audit_price_id"))
        batch_op.drop_index(batch_op.f("ix_price_audit_changed_by"))
    op.drop_table("price_audit")
    with op.batch_alter_table("prices") as batch_op:
        batch_op.drop_index(batch_op.f("ix_prices_reported_by"))
        batch_op.drop_index("ix_prices_pending")
        batch_op.drop_index("uq_prices_series_day")
        batch_op.drop_index("ix_prices_place_observed")
        batch_op.drop_index("ix_prices_commodity_observed")
    op.drop_table("prices")
    with op.batch_alter_table("price_points") as batch_op:
        batch_op.drop_index(batch_op.f("ix_price_points_region_code"))
    op.drop_table("price_points")
    op.drop_table("commodity_qualities")
    op.drop_table("commodities")
