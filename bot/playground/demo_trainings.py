"""Playground demo trainings: a dozen plausible trainings across Merangin's kecamatan.

Sewing, handicraft, crop growing, organic farming, rubber and coffee processing, farm books,
selling online and cooperatives, run by the Pemda's dinas, NGOs and private partners. Two are full
(with a waitlist) and the others have seats, so every screen of the journey has something to
show. The participants are demo members on the `demo` channel: no message ever goes to them.
Organizer names are illustrative, not claims about real programmes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db import SessionMaker
from bot.services.trainings import add_training
from bot.services.trainings_rules import TrainingDraft
from models import Member, Role, Status
from models.training import Enrollment, EnrollmentStatus, Training

WIB = ZoneInfo("Asia/Jakarta")
CONSENT = "demo"


@dataclass(frozen=True, slots=True)
class Demo:
    title: str
    category: str
    desa_code: str
    venue: str
    day: int
    """Days from today."""
    start: time
    hours: float
    capacity: int
    organizer_kind: str
    organizer: str
    description: str
    groups: tuple[str, ...] = ()
    accessibility: str = ""
    location: tuple[float, float] | None = None
    enrolled: int = 0
    waiting: int = 0


DEMOS = [
    Demo("Menjahit Pakaian Dasar", "menjahit", "15.02.02.2004", "Balai Desa Kungkai", 3,
         time(9), 3, 20, "pemda", "Dinas Koperasi dan UKM Kabupaten Merangin",
         "Mengenal mesin jahit, mengukur badan dan menjahit rok sederhana. Mesin dan kain "
         "disediakan.", ("perempuan",), "Ruangan di lantai dasar, tanpa tangga.",
         (-2.0905, 102.2712), enrolled=12),
    Demo("Pengolahan Slab Karet Bersih (Bokar)", "olahan", "15.02.02.2008",
         "Gudang UPPB Karya Bersama, Mudo", 5, time(8), 4, 8, "pemda",
         "Dinas Perkebunan dan Peternakan Kabupaten Merangin",
         "Membekukan lateks dengan asap cair, bukan tawas atau pupuk; slab bersih dihargai "
         "lebih tinggi oleh pabrik. Bawa pisau sadap dan sarung tangan.", ("petani",),
         location=(-2.1187, 102.3048), enrolled=8, waiting=2),
    Demo("Pascapanen Kopi Robusta: Petik Merah dan Penjemuran", "olahan", "15.02.09.2001",
         "Rumah Produksi Kelompok Tani Hutan Nilo Dingin", 7, time(8, 30), 6.5, 30, "lsm",
         "Yayasan Tani Lestari Jambi",
         "Memetik buah merah saja, fermentasi, menjemur di para-para, dan menyimpan biji "
         "kering agar harga naik.", ("petani", "pemuda"), location=(-2.3561, 101.9322),
         enrolled=9),
    Demo("Budidaya Kayu Manis dan Penyulingan Minyak Atsiri", "budidaya", "15.02.01.2005",
         "Balai Desa Renah Alai", 9, time(9), 4, 25, "lsm", "Yayasan Tani Lestari Jambi",
         "Perawatan kebun kayu manis, panen kulit yang benar, dan menyuling daun menjadi "
         "minyak atsiri.", ("petani",), enrolled=4),
    Demo("Membuat Kompos dan Pestisida Nabati", "organik", "15.02.05.1005",
         "Kebun Percontohan Kelompok Tani Maju Bersama", 4, time(8), 3, 30, "pemda",
         "Dinas Pertanian Kabupaten Merangin (BPP Tabir)",
         "Praktik membuat kompos dari sisa panen dan pestisida dari daun mimba dan serai. "
         "Bawa ember dan parang.", ("petani",), "Praktik di kebun, jalan tanah datar.",
         enrolled=6),
    Demo("Anyaman Rotan dan Pandan untuk Oleh-oleh", "kerajinan", "15.02.04.2008",
         "Sanggar Kerajinan Tiangko", 6, time(13), 3, 15, "swasta", "Galeri Kriya Sumatra",
         "Membuat tas dan tikar anyaman yang laku di toko oleh-oleh, lalu menghitung harga "
         "jual.", ("perempuan", "disabilitas"),
         "Sanggar di lantai dasar; ada pendamping bahasa isyarat.", enrolled=15, waiting=1),
    Demo("Pembukuan Sederhana Usaha Tani", "manajemen", "15.02.10.2001",
         "Aula Kantor Desa Pulau Rengas", 8, time(9), 3, 30, "lsm",
         "Lembaga Pemberdayaan Petani Merangin",
         "Mencatat modal, biaya dan hasil panen di buku tulis, supaya tahu untung ruginya.",
         ("petani", "usaha"), enrolled=3),
    Demo("Jualan Online lewat WhatsApp dan Marketplace", "digital", "15.02.02.1010",
         "Rumah Kreatif BUMDes, Pasar Bangko", 10, time(9), 3, 40, "swasta",
         "Komunitas Digital UMKM Jambi",
         "Memotret produk dengan HP, menulis keterangan yang menarik, dan menerima pesanan. "
         "Bawa HP Android.", ("pemuda", "usaha", "perempuan"),
         "Gedung satu lantai, ada jalur landai.", (-2.0833, 102.2833), enrolled=10),
    Demo("Membentuk dan Mengelola Koperasi Tani", "koperasi", "15.02.06.2004",
         "Balai Desa Jelatang", 12, time(9), 6, 35, "pemda",
         "Dinas Koperasi dan UKM Kabupaten Merangin",
         "Syarat mendirikan koperasi, rapat anggota, simpan pinjam dan penjualan bersama "
         "hasil kebun.", ("petani", "usaha"), enrolled=5),
    Demo("Budidaya Cabai Merah di Pekarangan", "budidaya", "15.02.07.2011",
         "Rumah Ketua Kelompok Wanita Tani Pulau Aro", 2, time(8), 3, 20, "pemda",
         "Dinas Pertanian Kabupaten Merangin (BPP Tabir Ulu)",
         "Menyemai, menanam di polibag, dan mencegah penyakit keriting daun.",
         ("perempuan", "petani"), enrolled=7),
    Demo("Menjahit Tas dari Kain Perca", "menjahit", "15.02.21.2002",
         "Balai Dusun Sumber Agung", 8, time(13), 3, 12, "lsm",
         "Lembaga Pemberdayaan Perempuan Merangin",
         "Mengolah kain sisa menjadi tas belanja untuk dijual di pasar desa.", ("perempuan",),
         enrolled=4),
    Demo("Mengelola Kiriman Uang Keluarga Pekerja Migran", "koperasi", "15.02.11.2003",
         "Aula Kantor Desa Telun", 14, time(9), 3, 30, "pemda",
         "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Merangin",
         "Menabung, menghindari pinjaman berbunga tinggi, dan memulai usaha kecil dari uang "
         "kiriman.", ("migran",), enrolled=2),
    Demo("Sekolah Lapang Sawit Berkelanjutan (2 hari)", "budidaya", "15.02.06.2007",
         "Kebun Plasma Rejo Sari", 15, time(8), 31, 40, "swasta",
         "Mitra Sawit Lestari (program kemitraan)",
         "Hari pertama: pemupukan dan panen TBS matang. Hari kedua: sertifikasi ISPO untuk "
         "pekebun swadaya.", ("petani",), enrolled=11),
]

NAMES = ["Siti Rahmah", "Nurhayati", "Ahmad Fauzi", "Dedi Saputra", "Yuliana", "Rini Astuti",
         "Budi Santoso", "Sri Wahyuni", "Hendra Gunawan", "Marlina", "Joko Susilo",
         "Fitri Handayani", "Agus Salim", "Wati", "Ratna Sari", "Eko Prasetyo", "Lina Marlina",
         "Samsul Bahri", "Nining Suryani", "Yusuf Hamdani"]


async def _villagers(sessionmaker: SessionMaker, now: datetime) -> list[int]:
    async with sessionmaker() as session, session.begin():
        members = [Member(channel="demo", external_id=f"demo-{i + 1}", chat_id=None,
                          full_name=name, desa_code="15.02.02.2004", language="id",
                          role=Role.MEMBER, status=Status.ACTIVE, consent_version=CONSENT,
                          consent_at=now, created_at=now) for i, name in enumerate(NAMES)]
        session.add_all(members)
        await session.flush()
        return [m.id for m in members]


async def load(sessionmaker: SessionMaker, now: datetime) -> None:
    """Trainings and their participants; does nothing when trainings already exist."""
    async with sessionmaker() as session:
        if await session.scalar(select(func.count()).select_from(Training)):
            return
    villagers = await _villagers(sessionmaker, now)
    today = now.astimezone(WIB).date()
    async with sessionmaker() as session, session.begin():
        for demo in DEMOS:
            starts = datetime.combine(today + timedelta(days=demo.day), demo.start, tzinfo=WIB)
            lat, lon = demo.location or (None, None)
            training = await add_training(session, TrainingDraft(
                title=demo.title, category=demo.category, desa_code=demo.desa_code,
                venue=demo.venue, starts_at=starts,
                ends_at=starts + timedelta(hours=demo.hours), capacity=demo.capacity,
                organizer=demo.organizer, organizer_kind=demo.organizer_kind,
                description=demo.description, latitude=lat, longitude=lon,
                target_groups=demo.groups, accessibility=demo.accessibility,
            ), now, None)
            people = (villagers * 2)[demo.day:demo.day + demo.enrolled + demo.waiting]
            for n, member_id in enumerate(people):
                waiting = n >= demo.enrolled
                session.add(Enrollment(
                    training_id=training.id, member_id=member_id,
                    status=EnrollmentStatus.WAITLISTED if waiting else EnrollmentStatus.ENROLLED,
                    queued_at=now - timedelta(hours=len(people) - n), created_at=now,
                    updated_at=now))
            training.seats_taken = demo.enrolled
