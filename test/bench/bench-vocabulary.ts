/**
 * Word lists for the benchmark catalog: the frequent words of Indonesian and English titles, real
 * name parts, subject headings, publishers and member libraries. The long tail of the vocabulary is
 * made of pronounceable synthetic words (see generate-marc.ts), as a union catalog's tail is names,
 * places and technical terms.
 */

export const INDONESIAN_WORDS = `pendidikan sejarah indonesia bahasa hukum ekonomi dan di dalam untuk dengan pengantar dasar
  studi analisis perkembangan sistem kebudayaan masyarakat pembangunan kebijakan islam agama sosial politik teori praktik
  manajemen pengelolaan kota desa daerah nasional pemerintahan negara rakyat perempuan anak keluarga kesehatan penyakit
  pertanian perikanan hutan laut pulau jawa sumatera kalimantan sulawesi papua bali lombok maluku aceh minangkabau
  cerita rakyat novel puisi kumpulan sastra seni musik tari batik wayang tradisi adat budaya upacara bumi manusia
  laskar pelangi ayat cinta negeri menara matahari bulan bintang hujan angin api air tanah langit malam pagi senja
  jalan rumah sekolah guru murid belajar mengajar kurikulum metode penelitian kualitatif kuantitatif statistik
  matematika fisika kimia biologi teknik mesin listrik sipil arsitektur komputer informatika jaringan perangkat lunak
  keras data basis pemrograman algoritma akuntansi keuangan perbankan pajak pasar perdagangan industri usaha kecil
  menengah koperasi tenaga kerja buruh petani nelayan lingkungan hidup iklim bencana gempa banjir gunung sungai danau
  kamus besar umum lengkap tata cara panduan pedoman petunjuk teknis prosiding seminar laporan tahunan jurnal kajian
  tafsir hadis fikih akhlak tasawuf dakwah pesantren ulama kiai santri zakat wakaf haji doa quran sunnah
  kemerdekaan revolusi perang dunia kolonial belanda jepang pergerakan pemuda sumpah pancasila konstitusi demokrasi
  otonomi reformasi orde baru lama abad modern kontemporer klasik awal akhir timur barat utara selatan nusantara
  hikayat babad serat kisah riwayat hidup biografi tokoh pahlawan raja kerajaan majapahit sriwijaya mataram`
  .split(/\s+/)
  .filter((w) => w !== '');

export const ENGLISH_WORDS = `the of and in to a for on history introduction theory practice world new american english
  language law economics economic development social political policy science sciences analysis study studies guide
  handbook principles modern early century war peace life death love women children family health medicine public
  management business market finance accounting education learning teaching school university research methods
  computer data systems network software engineering design architecture art music literature poetry stories novel
  tales southeast asia asian indonesia indonesian java island islands sea ocean river city village rural urban
  nature environment climate change global local culture religion islam muslim christian buddhist hindu ritual myth
  power state nation empire colonial dutch revolution independence democracy politics government reform crisis
  society community identity memory violence conflict trade labour workers farmers fishermen forest mountain volcano
  mathematics physics chemistry biology statistics algorithms programming machine intelligence information theory
  dictionary encyclopedia atlas companion reader selected essays letters collected works papers proceedings report
  annual review journal notes lectures voices lines shadows light dark night morning rain fire water earth sky stars
  road home garden house king queen prince people land story making rise fall age between beyond within after before`
  .split(/\s+/)
  .filter((w) => w !== '');

export const INDONESIAN_SURNAMES = `Toer Hirata Fuadi Sastrowardoyo Mangunwijaya Rendra Anwar Dini Lubis Hamka Pane Alisjahbana
  Rosidi Ajidarma Tohari Utami Kurniawan Lestari Suryadinata Koentjaraningrat Kartodirdjo Soekarno Hatta Sjahrir Tan Natsir
  Simatupang Nasution Harahap Siregar Hutagalung Sitompul Panjaitan Tampubolon Sembiring Ginting Tarigan Manurung Saragih
  Wibowo Santoso Setiawan Hidayat Kusuma Pratama Wijaya Saputra Nugroho Susanto Purnomo Rahman Hakim Syahputra Gunawan
  Suharto Sudirman Prawiro Wiryono Sumarno Mulyadi Sulistyo Haryanto Budiman Halim Tanjung Daulay Pohan Matondang Munthe
  Rangkuti Batubara Damanik Purba Sinaga Simanjuntak Situmorang Pardede Napitupulu Hasibuan Ritonga Dalimunthe Rasyid
  Abdullah Yusuf Ibrahim Ismail Usman Idris Salim Zainuddin Latif Mahmud Karim Baharuddin Supomo Soepomo Yamin Muhammad`
  .split(/\s+/)
  .filter((w) => w !== '');

export const INDONESIAN_GIVEN = `Pramoedya Ananta Andrea Ahmad Eka Sitor Ayu Seno Gumira Dewi Leila Nh Chairil Sutan Takdir
  Ajip Goenawan Budi Darma Umar Kayam Y. B. Sapardi Djoko Taufiq Ismail Rizal Putu Wijaya Iwan Simatupang Arswendo Mochtar
  Siti Nurul Rina Sri Wahyuni Endang Lestari Agus Bambang Joko Slamet Hendra Yudi Rudi Dedi Tri Eko Dwi Indah Fitri Ratna
  Kartika Maya Ani Yanti Nining Wulan Putri Bayu Fajar Galih Raden Gusti Made Ketut Nyoman Wayan Komang Teuku Cut Andi
  Muhammad Abdul Nur Syamsul Hasan Husein Firman Hadi Arief Irwan Taufik Yusuf Zulkifli Haris Ilham Rahmat Rachmat`
  .split(/\s+/)
  .filter((w) => w !== '');

export const ENGLISH_SURNAMES = `Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin
  Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill
  Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan
  Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price
  Sanders Myers Long Ross Foster Ricklefs Reid Anderson Geertz Kahin Feith Vickers Cribb Elson Lev Legge Mackie Kroef`
  .split(/\s+/)
  .filter((w) => w !== '');

export const ENGLISH_GIVEN = `James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer
  Linda Elizabeth Barbara Susan Jessica Sarah Karen Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth
  Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric Stephen Jonathan Larry Justin
  Benedict Clifford Merle Herbert Adrian Robert Anthony Daniel Jamie Theodore Audrey Margaret Ruth Helen Anne Clare`
  .split(/\s+/)
  .filter((w) => w !== '');

/** Topical headings; a heading may take a geographic or chronological subdivision. */
export const SUBJECT_TOPICS = `Pendidikan|Education|Sejarah|History|Hukum|Law|Ekonomi|Economics|Islam|Agama|Religion|
  Kebudayaan|Culture|Sastra Indonesia|Indonesian literature|Novel Indonesia|Indonesian fiction|Puisi Indonesia|
  Politik dan pemerintahan|Politics and government|Pertanian|Agriculture|Perikanan|Fisheries|Kesehatan masyarakat|
  Public health|Bahasa Indonesia|Indonesian language|Manajemen|Management|Akuntansi|Accounting|Perbankan|Banking|
  Ilmu komputer|Computer science|Pemrograman|Computer programming|Statistik|Statistics|Matematika|Mathematics|
  Lingkungan hidup|Environmental policy|Perubahan iklim|Climate change|Kehutanan|Forests and forestry|Antropologi|
  Anthropology|Sosiologi|Sociology|Wanita|Women|Anak-anak|Children|Adat istiadat|Social life and customs|Batik|
  Wayang|Musik tradisional|Folk music|Arsitektur|Architecture|Teknik sipil|Civil engineering|Kamus|Dictionaries|
  Tafsir Al-Quran|Hadis|Fikih|Islamic law|Tasawuf|Sufism|Pesantren|Koperasi|Cooperative societies|Pajak|Taxation`
  .split('|')
  .map((s) => s.trim())
  .filter((s) => s !== '');

export const SUBJECT_PLACES = ['Indonesia', 'Jawa', 'Sumatera', 'Bali', 'Sulawesi', 'Kalimantan', 'Papua', 'Aceh', 'Yogyakarta', 'Jakarta', 'Southeast Asia', 'Netherlands'];
export const SUBJECT_PERIODS = ['1945-1965', '1966-1998', 'Abad ke-19', '20th century', '21st century', 'Sejarah', 'History', 'Kajian'];

export const PUBLISHERS: ReadonlyArray<{ name: string; place: string; indonesian: boolean }> = [
  { name: 'Gramedia Pustaka Utama', place: 'Jakarta', indonesian: true },
  { name: 'Bentang Pustaka', place: 'Yogyakarta', indonesian: true },
  { name: 'Mizan', place: 'Bandung', indonesian: true },
  { name: 'Erlangga', place: 'Jakarta', indonesian: true },
  { name: 'Balai Pustaka', place: 'Jakarta', indonesian: true },
  { name: 'Pustaka Pelajar', place: 'Yogyakarta', indonesian: true },
  { name: 'Kompas', place: 'Jakarta', indonesian: true },
  { name: 'Rajawali Pers', place: 'Jakarta', indonesian: true },
  { name: 'Kencana', place: 'Jakarta', indonesian: true },
  { name: 'Remaja Rosdakarya', place: 'Bandung', indonesian: true },
  { name: 'Andi', place: 'Yogyakarta', indonesian: true },
  { name: 'Gadjah Mada University Press', place: 'Yogyakarta', indonesian: true },
  { name: 'Yayasan Obor Indonesia', place: 'Jakarta', indonesian: true },
  { name: 'LKiS', place: 'Yogyakarta', indonesian: true },
  { name: 'Hasta Mitra', place: 'Jakarta', indonesian: true },
  { name: 'Lentera Dipantara', place: 'Jakarta', indonesian: true },
  { name: 'Penerbit Republika', place: 'Jakarta', indonesian: true },
  { name: 'Salemba Empat', place: 'Jakarta', indonesian: true },
  { name: 'Alfabeta', place: 'Bandung', indonesian: true },
  { name: 'Deepublish', place: 'Yogyakarta', indonesian: true },
  { name: 'Oxford University Press', place: 'Oxford', indonesian: false },
  { name: 'Cambridge University Press', place: 'Cambridge', indonesian: false },
  { name: 'Routledge', place: 'London', indonesian: false },
  { name: 'Penguin Books', place: 'London', indonesian: false },
  { name: 'Cornell University Press', place: 'Ithaca', indonesian: false },
  { name: 'KITLV Press', place: 'Leiden', indonesian: false },
  { name: 'Springer', place: 'Berlin', indonesian: false },
  { name: 'Wiley', place: 'Hoboken', indonesian: false },
  { name: 'NUS Press', place: 'Singapore', indonesian: false },
  { name: 'Equinox Publishing', place: 'Jakarta', indonesian: false },
];

/** Member libraries: codes that are not words of either language, so questions never mistake a title word for one. */
export const LIBRARIES: ReadonlyArray<{ code: string; name: string }> = [
  ['UGM', 'Perpustakaan Universitas Gadjah Mada'], ['UNAIR', 'Perpustakaan Universitas Airlangga'],
  ['ITB', 'Perpustakaan Institut Teknologi Bandung'], ['UNDIP', 'Perpustakaan Universitas Diponegoro'],
  ['UNPAD', 'Perpustakaan Universitas Padjadjaran'], ['IPB', 'Perpustakaan IPB University'],
  ['UNHAS', 'Perpustakaan Universitas Hasanuddin'], ['UNAND', 'Perpustakaan Universitas Andalas'],
  ['USU', 'Perpustakaan Universitas Sumatera Utara'], ['UNSRI', 'Perpustakaan Universitas Sriwijaya'],
  ['UNUD', 'Perpustakaan Universitas Udayana'], ['UNY', 'Perpustakaan Universitas Negeri Yogyakarta'],
  ['UNJ', 'Perpustakaan Universitas Negeri Jakarta'], ['UPI', 'Perpustakaan Universitas Pendidikan Indonesia'],
  ['UNESA', 'Perpustakaan Universitas Negeri Surabaya'], ['UNSYIAH', 'Perpustakaan Universitas Syiah Kuala'],
  ['UNMUL', 'Perpustakaan Universitas Mulawarman'], ['UNTAN', 'Perpustakaan Universitas Tanjungpura'],
  ['ULM', 'Perpustakaan Universitas Lambung Mangkurat'], ['UNSRAT', 'Perpustakaan Universitas Sam Ratulangi'],
  ['UNCEN', 'Perpustakaan Universitas Cenderawasih'], ['UNPATTI', 'Perpustakaan Universitas Pattimura'],
  ['UNRAM', 'Perpustakaan Universitas Mataram'], ['UNILA', 'Perpustakaan Universitas Lampung'],
  ['UNRI', 'Perpustakaan Universitas Riau'], ['UNJA', 'Perpustakaan Universitas Jambi'],
  ['UNIB', 'Perpustakaan Universitas Bengkulu'], ['UHO', 'Perpustakaan Universitas Halu Oleo'],
  ['UNTAD', 'Perpustakaan Universitas Tadulako'], ['UNG', 'Perpustakaan Universitas Negeri Gorontalo'],
  ['UNKHAIR', 'Perpustakaan Universitas Khairun'], ['UNIMA', 'Perpustakaan Universitas Negeri Manado'],
  ['UNIPA', 'Perpustakaan Universitas Papua'], ['UNSOED', 'Perpustakaan Universitas Jenderal Soedirman'],
  ['UNNES', 'Perpustakaan Universitas Negeri Semarang'], ['UNIMED', 'Perpustakaan Universitas Negeri Medan'],
  ['UNP', 'Perpustakaan Universitas Negeri Padang'], ['UINJKT', 'Perpustakaan UIN Syarif Hidayatullah Jakarta'],
  ['UINSUKA', 'Perpustakaan UIN Sunan Kalijaga'], ['PNRI', 'Perpustakaan Nasional Republik Indonesia'],
  ['DISPUSJKT', 'Dinas Perpustakaan dan Kearsipan DKI Jakarta'], ['DISPUSJATIM', 'Dinas Perpustakaan Provinsi Jawa Timur'],
  ['UNEJ', 'Perpustakaan Universitas Jember'], ['UNTIRTA', 'Perpustakaan Universitas Sultan Ageng Tirtayasa'],
  ['UNSIKA', 'Perpustakaan Universitas Singaperbangsa Karawang'], ['UNIKU', 'Perpustakaan Universitas Kuningan'],
  ['UMY', 'Perpustakaan Universitas Muhammadiyah Yogyakarta'], ['UII', 'Perpustakaan Universitas Islam Indonesia'],
  ['UKSW', 'Perpustakaan Universitas Kristen Satya Wacana'], ['USD', 'Perpustakaan Universitas Sanata Dharma'],
].map(([code, name]) => ({ code: code as string, name: name as string }));

/** Syllables of the synthetic tail words. */
export const SYLLABLES = `ka ra si ma ta na ba la sa pa da ga ja wa ya ha ke re se me te ne be le pe de ge je we ye ki
  ri mi ti ni bi li pi di gi ji wi ko ro so mo to no bo lo po do go jo wo yo ku ru su mu tu nu bu lu pu du gu ju wu an
  ang ar ing un ung er or al el il ul on en in ton ran lan man san dan kan tan ban pan`
  .split(/\s+/)
  .filter((w) => w !== '');
