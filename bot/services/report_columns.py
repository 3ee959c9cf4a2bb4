"""What the report workbook says: sheet names, columns, their explanations and value labels.

The workbook is an official document for the regency government, so it is always in Indonesian,
whatever language the staff member who asked for it reads; its words live here, not in the
message catalogs (which hold what the bot says in the chat).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MOMENT = "moment"
    RUPIAH = "rupiah"
    PERCENT = "percent"
    RATING = "rating"


FORMATS = {
    Kind.DATE: "dd/mm/yyyy",
    Kind.MOMENT: "dd/mm/yyyy hh:mm",
    Kind.RUPIAH: "#,##0",
    Kind.PERCENT: "0%",
    Kind.RATING: "0.0",
}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: int
    explanation: str
    kind: Kind = Kind.TEXT


GUIDE = "Keterangan"
MEMBERS = "Anggota"
TRAININGS = "Pelatihan"
ATTENDANCE = "Kehadiran"
PRICES = "Harga"
BROADCASTS = "Siaran"

MEMBER_COLUMNS = [
    Column("ID anggota", 11, "Nomor anggota di sistem Berdaya.", Kind.NUMBER),
    Column("Nama", 28, "Nama yang diisi anggota saat mendaftar."),
    Column("Desa/Kelurahan", 22, "Desa atau kelurahan tempat tinggal anggota."),
    Column("Kecamatan", 18, "Kecamatan dari desa tersebut."),
    Column("Kelompok", 34, "Kelompok sasaran program yang dipilih anggota (boleh lebih dari "
                           "satu)."),
    Column("Bahasa", 12, "Bahasa yang dipakai bot untuk anggota ini."),
    Column("Peran", 13, "Anggota biasa, fasilitator, atau admin program."),
    Column("Status", 22, "Aktif; berhenti (anggota meminta tidak dikirimi pesan lagi); atau "
                         "memblokir bot di Telegram."),
    Column("Terdaftar pada", 17, "Tanggal dan jam pendaftaran (WIB).", Kind.MOMENT),
    Column("Versi persetujuan", 17, "Versi pernyataan persetujuan penggunaan data yang "
                                    "disetujui anggota."),
]
PHONE_COLUMN = Column("Telepon", 16, "Nomor telepon yang diberikan anggota. Data pribadi: hanya "
                                     "untuk keperluan program, jangan disebarkan.")

TRAINING_COLUMNS = [
    Column("ID pelatihan", 12, "Nomor pelatihan di sistem Berdaya.", Kind.NUMBER),
    Column("Judul", 34, "Nama pelatihan."),
    Column("Kategori", 16, "Jenis pelatihan."),
    Column("Kecamatan", 18, "Kecamatan tempat pelatihan."),
    Column("Desa/Kelurahan", 22, "Desa atau kelurahan tempat pelatihan."),
    Column("Tempat", 26, "Gedung atau alamat pelatihan."),
    Column("Penyelenggara", 26, "Instansi, lembaga atau usaha yang menyelenggarakan."),
    Column("Mulai", 17, "Tanggal dan jam mulai (WIB).", Kind.MOMENT),
    Column("Kuota", 9, "Jumlah kursi yang disediakan.", Kind.NUMBER),
    Column("Terdaftar", 11, "Anggota yang memegang kursi.", Kind.NUMBER),
    Column("Daftar tunggu", 13, "Anggota yang menunggu kursi kosong (termasuk yang sedang "
                                "ditawari kursi).", Kind.NUMBER),
    Column("Hadir", 9, "Anggota yang tercatat hadir.", Kind.NUMBER),
    Column("Tingkat kehadiran", 17, "Hadir dibagi terdaftar. Kosong bila belum ada yang "
                                    "terdaftar.", Kind.PERCENT),
    Column("Rata-rata nilai", 15, "Rata-rata nilai dari peserta (1 = buruk sampai 5 = sangat "
                                  "baik). Kosong bila belum ada yang menilai.", Kind.RATING),
    Column("Jumlah penilai", 14, "Berapa peserta yang memberi nilai.", Kind.NUMBER),
    Column("Status", 14, "Terbit (berjalan sesuai rencana) atau dibatalkan."),
]

ATTENDANCE_COLUMNS = [
    Column("ID pelatihan", 12, "Nomor pelatihan (sama dengan lembar Pelatihan).", Kind.NUMBER),
    Column("Pelatihan", 34, "Nama pelatihan."),
    Column("Mulai", 17, "Tanggal dan jam mulai pelatihan (WIB).", Kind.MOMENT),
    Column("ID anggota", 11, "Nomor anggota (sama dengan lembar Anggota). Kosong bila datanya "
                             "sudah dihapus atas permintaan anggota.", Kind.NUMBER),
    Column("Nama", 28, "Nama anggota."),
    Column("Status pendaftaran", 22, "Terdaftar, daftar tunggu, ditawari kursi, mengundurkan "
                                     "diri, atau tawaran kursi habis waktunya."),
    Column("Hadir", 8, "Ya bila anggota tercatat hadir."),
    Column("Nilai", 8, "Nilai yang diberikan anggota (1 sampai 5); kosong bila tidak menilai.",
           Kind.NUMBER),
]

PRICE_COLUMNS = [
    Column("Tanggal", 12, "Hari harga itu berlaku di lapangan.", Kind.DATE),
    Column("Komoditas", 18, "Barang yang dihargai."),
    Column("Mutu", 18, "Mutu atau jenis barang, bila dibedakan (misalnya KKK karet)."),
    Column("Tingkat harga", 16, "Harga di tingkat petani, grosir, eceran, atau harga penetapan "
                                "pemerintah."),
    Column("Kecamatan", 18, "Kecamatan tempat harga dicatat; kosong untuk harga tingkat "
                            "provinsi."),
    Column("Tempat", 26, "Pasar, kebun (harga di tingkat petani), atau lembaga penetap harga."),
    Column("Harga (Rp)", 13, "Harga dalam rupiah.", Kind.RUPIAH),
    Column("Satuan", 9, "Harga per satuan ini."),
    Column("Sumber", 26, "Asal keterangan harga."),
    Column("Pelapor", 22, "Siapa yang memasukkan harga: fasilitator, admin, warga (laporan "
                          "anggota), atau impor berkas resmi."),
    Column("Status", 20, "Terbit, atau masih menunggu diperiksa fasilitator (laporan warga yang "
                         "jauh dari harga biasanya)."),
]

BROADCAST_COLUMNS = [
    Column("ID siaran", 10, "Nomor siaran di sistem Berdaya.", Kind.NUMBER),
    Column("Dikirim pada", 17, "Tanggal dan jam siaran mulai dikirim, atau jadwalnya bila belum "
                               "dikirim (WIB).", Kind.MOMENT),
    Column("Pengirim", 24, "Fasilitator atau admin yang mengirim."),
    Column("Sasaran", 40, "Siapa yang dituju: semua anggota aktif, atau menurut kecamatan, desa, "
                          "kelompok, bahasa, peserta pelatihan, atau pengikut harga komoditas."),
    Column("Isi pesan", 50, "Awal isi pesan siaran."),
    Column("Penerima", 10, "Jumlah anggota yang dituju.", Kind.NUMBER),
    Column("Terkirim", 10, "Pesan yang sampai ke anggota.", Kind.NUMBER),
    Column("Gagal", 8, "Pesan yang tidak bisa dikirim karena gangguan.", Kind.NUMBER),
    Column("Dilewati", 9, "Anggota yang memblokir bot, berhenti, atau keluar sebelum pesan "
                          "dikirim.", Kind.NUMBER),
    Column("Status", 16, "Dijadwalkan, sedang dikirim, selesai, dibatalkan, atau ditarik "
                         "(pesan dihapus dari obrolan anggota)."),
]

GUIDE_COLUMNS = [Column("", 26, ""), Column("", 90, "")]

LANGUAGES = {"id": "Indonesia", "en": "Inggris"}
ROLES = {"member": "Anggota", "facilitator": "Fasilitator", "admin": "Admin"}
MEMBER_STATUSES = {"active": "Aktif", "stopped": "Berhenti", "blocked": "Memblokir bot"}
CATEGORIES = {
    "menjahit": "Menjahit", "kerajinan": "Kerajinan", "budidaya": "Budidaya",
    "organik": "Pertanian organik", "olahan": "Olahan pangan", "manajemen": "Manajemen usaha",
    "digital": "Pemasaran digital", "koperasi": "Koperasi & keuangan", "lainnya": "Lainnya",
}
TRAINING_STATUSES = {"published": "Terbit", "cancelled": "Dibatalkan"}
ENROLLMENT_STATUSES = {
    "enrolled": "Terdaftar", "waitlisted": "Daftar tunggu", "offered": "Ditawari kursi",
    "cancelled": "Mengundurkan diri", "expired": "Tawaran habis waktu",
}
LEVELS = {"produsen": "Petani", "grosir": "Grosir", "eceran": "Eceran",
          "penetapan": "Penetapan"}
PRICE_STATUSES = {"published": "Terbit", "pending": "Menunggu diperiksa"}
ORIGINS = {"citizen": "Warga", "import": "Impor berkas resmi", "demo": "Data contoh"}
BROADCAST_STATUSES = {"scheduled": "Dijadwalkan", "sending": "Sedang dikirim",
                      "done": "Selesai", "cancelled": "Dibatalkan"}
WITHDRAWN = "Ditarik"
YES, NO = "Ya", "Tidak"
ERASED = "(data dihapus)"
EVERYONE = "Semua anggota aktif"
AUDIENCE_PARTS = {
    "kecamatan": "Kecamatan", "desa": "Desa", "groups": "Kelompok", "languages": "Bahasa",
    "trainings": "Peserta pelatihan", "commodities": "Pengikut harga",
}
