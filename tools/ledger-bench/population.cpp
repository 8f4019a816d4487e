#include "population.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include "domain/decide.h"
#include "domain/rules.h"
#include "domain/validate.h"

namespace ledger::bench {

namespace {

using domain::CustomerState;

// Stream ids of CustomerSeed.
constexpr std::uint64_t kRegistrationStream = 1;
constexpr std::uint64_t kScriptStream = 2;
constexpr std::uint64_t kWeightStream = 3;

// FurtherEvents' weights: Pareto(alpha) from 1, capped.
constexpr double kParetoAlpha = 1.2;
constexpr double kWeightCap = 300;

constexpr auto kFirstNames = std::to_array<std::string_view>({
    "James",     "Mary",     "Robert",    "Patricia", "John",      "Jennifer", "Michael",
    "Linda",     "David",    "Elizabeth", "William",  "Barbara",   "Richard",  "Susan",
    "Joseph",    "Jessica",  "Thomas",    "Sarah",    "Charles",   "Karen",    "Daniel",
    "Lisa",      "Matthew",  "Nancy",     "Anthony",  "Betty",     "Mark",     "Sandra",
    "Donald",    "Margaret", "Steven",    "Ashley",   "Andrew",    "Kimberly", "Paul",
    "Emily",     "Joshua",   "Donna",     "Kenneth",  "Michelle",  "Kevin",    "Carol",
    "Brian",     "Amanda",   "George",    "Melissa",  "Timothy",   "Deborah",  "Ronald",
    "Stephanie", "Jason",    "Rebecca",   "Edward",   "Sharon",    "Jeffrey",  "Laura",
    "Ryan",      "Cynthia",  "Jacob",     "Dorothy",  "Gary",      "Amy",      "Nicholas",
    "Kathleen",  "Eric",     "Angela",    "Jonathan", "Shirley",   "Stephen",  "Emma",
    "Larry",     "Brenda",   "Justin",    "Pamela",   "Scott",     "Nicole",   "Brandon",
    "Anna",      "Benjamin", "Samantha",  "Samuel",   "Katherine", "Gregory",  "Christine",
    "Alexander", "Debra",    "Patrick",   "Rachel",   "Frank",     "Carolyn",  "Raymond",
    "Janet",     "Jack",     "Maria",     "Dennis",   "Olivia",    "Jose",     "Mei",
    "Kwame",     "Priya",
});

constexpr auto kLastNames = std::to_array<std::string_view>({
    "Smith",    "Johnson",   "Williams",   "Brown",     "Jones",      "Garcia",    "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez", "Lopez",      "Gonzalez",  "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",     "Jackson",    "Martin",    "Lee",
    "Perez",    "Thompson",  "White",      "Harris",    "Sanchez",    "Clark",     "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",     "Allen",      "King",      "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",      "Flores",     "Green",     "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",    "Campbell",   "Mitchell",  "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",     "Turner",     "Diaz",      "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",     "Stewart",    "Morris",    "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez", "Ortiz",      "Morgan",    "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",     "Howard",     "Ramos",     "Kim",
    "Cox",      "Ward",      "Richardson", "Watson",    "Brooks",     "Chavez",    "Wood",
    "James",    "Bennett",   "Gray",       "Mendoza",   "Ruiz",       "Hughes",    "Price",
    "Alvarez",  "Castillo",  "Sanders",    "Patel",     "Myers",      "Long",      "Ross",
    "Foster",   "Jimenez",   "Powell",     "Jenkins",   "Perry",      "Russell",   "Sullivan",
    "Bell",     "Coleman",   "Butler",     "Henderson", "Barnes",     "Gonzales",  "Fisher",
    "Vasquez",  "Simmons",   "Romero",     "Jordan",    "Patterson",  "Alexander", "Hamilton",
    "Graham",   "Reynolds",  "Griffin",    "Wallace",   "Moreno",     "West",      "Cole",
    "Hayes",    "Bryant",    "Herrera",    "Gibson",    "Ellis",      "Tran",      "Medina",
    "Aguilar",  "Stevens",   "Murray",     "Ford",      "Castro",     "Marshall",  "Owens",
    "Harrison", "Fernandez", "McDonald",   "Woods",     "Washington", "Kennedy",   "Wells",
    "Vargas",   "Henry",     "Chen",       "Freeman",   "Webb",       "Tucker",    "Guzman",
    "Burns",    "Crawford",  "Olson",      "Simpson",   "Porter",     "Hunter",    "Gordon",
    "Mendez",   "Silva",     "Shaw",       "Snyder",    "Mason",      "Dixon",     "Munoz",
    "Hunt",     "Hicks",     "Holmes",     "Palmer",    "Wagner",     "Black",     "Robertson",
    "Boyd",     "Rose",      "Stone",      "Salazar",   "Fox",        "Warren",    "Mills",
    "Meyer",    "Rice",      "Schmidt",    "Garza",     "Daniels",    "Ferguson",  "Nichols",
    "Stephens", "Soto",      "Weaver",     "Ryan",      "Gardner",    "Payne",     "Grant",
    "Dunn",     "Kelley",    "Spencer",    "Hawkins",   "Arnold",     "Pierce",    "Vazquez",
    "Hansen",   "Peters",    "Santos",     "Hart",      "O'Brien",    "Okafor",    "Kowalski",
    "Yamamoto", "Haddad",    "Johansson",  "Nakamura",
});

constexpr auto kCompanyKinds = std::to_array<std::string_view>({
    "Landscaping",
    "Plumbing",
    "Electric",
    "Logistics",
    "Catering",
    "Construction",
    "Auto Repair",
    "Dental Care",
    "Cleaning",
    "Roofing",
    "Florist",
    "Moving",
});

constexpr auto kStreets = std::to_array<std::string_view>({
    "Main Street",    "Oak Avenue",     "Maple Drive",     "Cedar Lane",    "Pine Street",
    "Elm Street",     "Washington Ave", "Lake Road",       "Hill Street",   "Park Avenue",
    "Sunset Blvd",    "River Road",     "Church Street",   "Highland Ave",  "Mill Road",
    "Harbor View Dr", "Meadow Lane",    "Forest Avenue",   "Spring Street", "Valley Road",
    "Orchard Way",    "Bridge Street",  "Franklin Street", "Ridge Road",
});

struct City {
  std::string_view city, region, postal_code;
};
constexpr auto kCities = std::to_array<City>({
    {"Springfield", "IL", "62701"}, {"San Mateo", "CA", "94401"}, {"Austin", "TX", "78701"},
    {"Columbus", "OH", "43215"},    {"Portland", "OR", "97201"},  {"Raleigh", "NC", "27601"},
    {"Denver", "CO", "80202"},      {"Tampa", "FL", "33602"},     {"Madison", "WI", "53703"},
    {"Boise", "ID", "83702"},       {"Albany", "NY", "12207"},    {"Tucson", "AZ", "85701"},
    {"Omaha", "NE", "68102"},       {"Richmond", "VA", "23219"},  {"Spokane", "WA", "99201"},
    {"Dayton", "OH", "45402"},      {"Fresno", "CA", "93721"},    {"Mobile", "AL", "36602"},
    {"Eugene", "OR", "97401"},      {"Savannah", "GA", "31401"},  {"Lansing", "MI", "48933"},
    {"Reno", "NV", "89501"},        {"Trenton", "NJ", "08608"},   {"Burlington", "VT", "05401"},
});

constexpr auto kTags = std::to_array<std::string_view>({
    "service-plan",
    "fleet-prospect",
    "warranty",
    "vip",
    "referral",
    "spanish-speaking",
    "lease-end",
    "trade-in",
    "financing",
    "new-buyer",
    "recall-notified",
    "loyalty",
});

constexpr auto kLanguages = std::to_array<std::string_view>({"en", "es", "fr", "vi", "zh", "de"});

// Notes as agents type them; {} is a number that makes each one distinct. 60-200 bytes.
constexpr auto kNotes = std::to_array<std::string_view>({
    "Called back about the quote for the spring service visit; prefers mornings. Ref {}.",
    "Asked for a loaner car during the next service. Told them to book two weeks ahead ({}).",
    "Interested in the extended warranty; call back after the tax refund in April. Quote {}.",
    "Complained about the wait time at pick-up on Saturday; offered a discount on the next oil "
    "change (voucher {}).",
    "Prefers text reminders two days before appointments, never calls at work. Case {}.",
    "Wants a trade-in estimate for the 2019 sedan before the lease ends. Estimate {}.",
    "Spoke with spouse; they will decide on the brake job after the weekend. Job {}.",
    "Left the spare key at the front desk. Tag number {}.",
    "Paid invoice {} by card over the phone.",
    "Requested a copy of the service history for the insurance claim; emailed it ({}).",
    "Recall letter received; booked the inspection for next Tuesday 9am. Recall {}.",
    "Asked whether winter tires can be stored here over the summer; yes, storage plan {}.",
});

std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class T, std::size_t N>
const T& Pick(SeededRandom& rng, const std::array<T, N>& items) {
  return items[rng.Below(N)];
}

std::string Lower(std::string_view s) {
  return domain::LowerAscii(s);
}

// Email-safe lower-case letters of a name ("O'Brien" -> "obrien").
std::string Handle(std::string_view name) {
  std::string out;
  for (char c : Lower(name)) {
    if (c >= 'a' && c <= 'z') out.push_back(c);
  }
  return out;
}

domain::Address RandomAddress(SeededRandom& rng) {
  const City& city = Pick(rng, kCities);
  domain::Address a;
  a.line1 = fmt::format("{} {}", 10 + rng.Below(9990), Pick(rng, kStreets));
  if (rng.PerMille(150)) a.line2 = fmt::format("Apt {}", 1 + rng.Below(400));
  a.city = std::string(city.city);
  a.region = std::string(city.region);
  a.postal_code = std::string(city.postal_code);
  a.country = "US";
  return a;
}

std::string NoteText(SeededRandom& rng, std::uint64_t index, std::uint64_t n) {
  return fmt::format(fmt::runtime(Pick(rng, kNotes)), fmt::format("{}-{}", index, n));
}

domain::Command Communication(domain::CommunicationChannel channel, domain::Direction direction) {
  domain::LogCommunication m;
  m.channel = channel;
  m.direction = direction;
  return m;  // at now, no contact
}

// The phones SmsStop would change: held, and not already opted out with no line opted in.
std::vector<const domain::Phone*> StoppablePhones(const CustomerState& s) {
  std::vector<const domain::Phone*> out;
  for (const domain::Phone& p : s.phones) {
    const domain::ConsentRecord* current = domain::FindConsent(s, domain::Channel::Sms, p.number);
    bool opted_in = std::any_of(s.phones.begin(), s.phones.end(), [&](const domain::Phone& q) {
      return q.number == p.number && q.sms_opt_in;
    });
    if (opted_in || current == nullptr ||
        current->consent.status != domain::ConsentStatus::OptedOut) {
      out.push_back(&p);
    }
  }
  return out;
}

}  // namespace

std::uint64_t SeededRandom::Next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  return Mix64(state_);
}

std::uint64_t SeededRandom::Below(std::uint64_t n) {
  // The modulo's bias (at most n / 2^64) is far below anything a workload can show.
  return Next() % n;
}

double SeededRandom::Unit() {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

std::uint64_t CustomerSeed(std::uint64_t seed, std::uint64_t index, std::uint64_t stream) {
  return Mix64(Mix64(seed ^ Mix64(stream)) + index);
}

std::vector<std::uint32_t> FurtherEvents(std::uint64_t seed, std::size_t customers,
                                         std::uint64_t events) {
  std::vector<std::uint32_t> counts(customers, 0);
  if (customers == 0 || events <= customers) return counts;
  const std::uint64_t further = events - customers;
  std::vector<double> weights(customers);
  double total = 0;
  for (std::size_t i = 0; i < customers; ++i) {
    SeededRandom rng(CustomerSeed(seed, i, kWeightStream));
    double u = 1.0 - rng.Unit();  // (0, 1]
    weights[i] = std::min(kWeightCap, std::pow(u, -1.0 / kParetoAlpha));
    total += weights[i];
  }
  // Customer i gets the events between the rounded shares of the customers before it and of
  // those up to it, so the counts add up to `further` exactly.
  double cumulative = 0;
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < customers; ++i) {
    cumulative += weights[i];
    std::uint64_t upto =
        i + 1 == customers
            ? further
            : std::min(further, static_cast<std::uint64_t>(std::floor(static_cast<double>(further) *
                                                                      (cumulative / total))));
    upto = std::max(upto, given);
    counts[i] = static_cast<std::uint32_t>(upto - given);
    given = upto;
  }
  return counts;
}

const std::vector<std::string_view>& FictionalAreaCodes() {
  // Long-established US area codes: libphonenumber knows them all, and with 555-01XX they are
  // the numbers the NANP keeps for fiction.
  static const std::vector<std::string_view> codes = {
      "201", "202", "203", "205", "206", "207", "208", "209", "210", "212", "213", "214", "215",
      "216", "217", "218", "219", "224", "225", "228", "229", "231", "234", "239", "240", "248",
      "251", "252", "253", "254", "256", "260", "262", "267", "269", "270", "276", "281", "301",
      "302", "303", "304", "305", "307", "308", "309", "310", "312", "313", "314", "315", "316",
      "317", "318", "319", "320", "321", "325", "330", "334", "336", "337", "339", "347", "351",
      "352", "360", "361", "386", "401", "402", "404", "405", "406", "407", "408", "409", "410",
      "412", "413", "414", "415", "417", "419", "423", "425", "432", "434", "435", "440", "443",
      "469", "478", "479", "480", "484", "501", "502", "503", "504", "505", "507", "508", "509",
      "510", "512", "513", "515", "516", "517", "518", "520", "530", "540", "541", "559", "561",
      "562", "563", "567", "570", "571", "573", "574", "575", "580", "585", "586", "601", "602",
      "603", "605", "606", "607", "608", "609", "610", "612", "614", "615", "616", "617", "618",
      "619", "620", "623", "626", "630", "631", "636", "641", "646", "650", "651", "660", "661",
      "662", "678", "701", "702", "703", "704", "706", "707", "708", "712", "713", "714", "715",
      "716", "717", "718", "719", "720", "724", "727", "731", "732", "734", "740", "754", "757",
      "760", "763", "765", "770", "772", "773", "774", "775", "781", "785", "786", "801", "802",
      "803", "804", "805", "806", "808", "810", "812", "813", "814", "815", "816", "817", "818",
      "828", "830", "831", "832", "843", "845", "847", "848", "850", "856", "857", "858", "859",
      "860", "862", "863", "864", "865", "870", "901", "903", "904", "906", "907", "908", "909",
      "910", "912", "913", "914", "915", "916", "917", "918", "919", "920", "925", "928", "931",
      "936", "937", "940", "941", "949", "951", "952", "954", "956", "970", "971", "972", "973",
      "978", "979", "980", "985", "989",
  };
  return codes;
}

std::string FictionalPhone(SeededRandom& rng) {
  const std::vector<std::string_view>& codes = FictionalAreaCodes();
  return fmt::format("+1{}55501{:02}", codes[rng.Below(codes.size())], rng.Below(100));
}

std::string LastNamePrefixQuery(SeededRandom& rng) {
  std::string name = Handle(Pick(rng, kLastNames));
  if (name.size() > 4) name.resize(4);
  return name;
}

domain::RegisterCustomer Registration(std::uint64_t seed, std::uint64_t index) {
  SeededRandom rng(CustomerSeed(seed, index, kRegistrationStream));
  domain::RegisterCustomer r;
  domain::EditableProfile& p = r.profile;
  const std::string_view first = Pick(rng, kFirstNames);
  const std::string_view last = Pick(rng, kLastNames);
  if (rng.PerMille(50)) {
    p.kind = domain::CustomerKind::Company;
    p.company_name = fmt::format("{} {}", last, Pick(rng, kCompanyKinds));
    if (rng.PerMille(700)) p.company_name += " LLC";
    p.contact_name = fmt::format("{} {}", first, last);
  } else {
    p.kind = domain::CustomerKind::Person;
    p.first_name = std::string(first);
    p.last_name = std::string(last);
  }
  constexpr std::array<domain::PhoneKind, 3> kinds = {
      domain::PhoneKind::Cell, domain::PhoneKind::Home, domain::PhoneKind::Work};
  const std::size_t phones = rng.PerMille(700) ? 1 : 2;
  for (std::size_t i = 0; i < phones; ++i) {
    std::string number = FictionalPhone(rng);
    if (i > 0 && number == p.phones[0].number) number = FictionalPhone(rng);
    p.phones.push_back({"", kinds[i == 0 ? 0 : 1 + rng.Below(2)], std::move(number)});
  }
  const std::uint64_t emails_pick = rng.Below(1000);
  const std::size_t emails = emails_pick < 200 ? 0 : emails_pick < 800 ? 1 : 2;
  const std::string handle = fmt::format("{}.{}", Handle(first), Handle(last));
  for (std::size_t i = 0; i < emails; ++i) {
    p.emails.push_back({"", i == 0 ? fmt::format("{}.{}@example.com", handle, index)
                                   : fmt::format("{}{}.{}@example.com", Handle(first).substr(0, 1),
                                                 Handle(last), index)});
  }
  if (rng.PerMille(850)) p.address = RandomAddress(rng);
  const std::uint64_t language = rng.Below(1000);
  p.language = std::string(language < 850   ? kLanguages[0]
                           : language < 950 ? kLanguages[1]
                                            : kLanguages[2 + rng.Below(kLanguages.size() - 2)]);
  p.contact_time = static_cast<domain::ContactTime>(rng.Below(3));
  if (rng.PerMille(400)) p.external_ids.push_back({"dms", fmt::format("C-{:07}", index)});
  const std::size_t tags = rng.Below(3);
  for (std::size_t i = 0; i < tags; ++i) {
    std::string tag(Pick(rng, kTags));
    if (std::find(p.tags.begin(), p.tags.end(), tag) == p.tags.end()) p.tags.push_back(tag);
  }
  if (p.kind == domain::CustomerKind::Person && rng.PerMille(300)) {
    p.date_of_birth =
        fmt::format("{}-{:02}-{:02}", 1940 + rng.Below(65), 1 + rng.Below(12), 1 + rng.Below(28));
  }
  return r;
}

CustomerScript::CustomerScript(std::uint64_t seed, std::uint64_t index)
    : index_(index), rng_(CustomerSeed(seed, index, kScriptStream)) {}

domain::Command CustomerScript::Next(const CustomerState& s, MixKind* kind) {
  ++n_;
  std::uint64_t pick = rng_.Below(1000);
  MixKind drawn = kMix.back().kind;
  for (const MixShare& share : kMix) {
    if (pick < share.per_mille) {
      drawn = share.kind;
      break;
    }
    pick -= share.per_mille;
  }
  *kind = drawn;
  switch (drawn) {
    case MixKind::kAddNote:
      return domain::AddNote{NoteText(rng_, index_, n_), rng_.PerMille(30)};
    case MixKind::kLogCommunication:
      return Communication(
          static_cast<domain::CommunicationChannel>(rng_.Below(domain::kCommunicationChannels)),
          static_cast<domain::Direction>(rng_.Below(2)));
    case MixKind::kLogCall:
      return domain::LogCall{static_cast<domain::CallOutcome>(rng_.Below(4))};
    case MixKind::kUpdateProfile:
      return Update(s);
    case MixKind::kSetConsent:
      return Consent(s);
    case MixKind::kAddTag: {
      std::vector<std::string_view> missing;
      for (std::string_view tag : kTags) {
        if (std::find(s.tags.begin(), s.tags.end(), tag) == s.tags.end()) missing.push_back(tag);
      }
      if (!missing.empty() && s.tags.size() < domain::kMaxListItems) {
        return domain::AddTag{std::string(missing[rng_.Below(missing.size())])};
      }
      return domain::RemoveTag{s.tags[rng_.Below(s.tags.size())]};
    }
    case MixKind::kRecordJob: {
      domain::RecordJob job;
      // The state keeps job counts only (jobs are items of their own): the script remembers the
      // last job it recorded, and a new status always differs from it, so Decide records it.
      if (!last_job_id_.empty() && rng_.PerMille(500)) {
        job.job_id = last_job_id_;
        job.status = static_cast<domain::JobStatus>(
            (static_cast<int>(last_job_status_) + 1 + rng_.Below(2)) % 3);
      } else {
        job.job_id = fmt::format("RO-{}-{}", index_, n_);
        job.status = domain::JobStatus::Booked;
      }
      last_job_id_ = job.job_id;
      last_job_status_ = job.status;
      return job;
    }
    case MixKind::kVerifyInfo:
      return domain::VerifyInfo{};
    case MixKind::kSmsStop: {
      std::vector<const domain::Phone*> stoppable = StoppablePhones(s);
      if (stoppable.empty()) {
        *kind = MixKind::kLogCommunication;
        return Communication(domain::CommunicationChannel::Text, domain::Direction::Inbound);
      }
      return domain::SmsStop{stoppable[rng_.Below(stoppable.size())]->number, "STOP"};
    }
    case MixKind::kEmailBounce:
      if (s.emails.empty()) {
        *kind = MixKind::kLogCommunication;
        return Communication(domain::CommunicationChannel::Email, domain::Direction::Outbound);
      }
      return domain::RecordEmailBounce{s.emails[rng_.Below(s.emails.size())].address};
  }
  return domain::LogCall{};  // not reached: the switch covers every kind
}

domain::Command CustomerScript::Update(const CustomerState& s) {
  domain::EditableProfile p = domain::EditableOf(s);
  switch (rng_.Below(6)) {
    case 0: {  // moved
      domain::Address moved = RandomAddress(rng_);
      if (moved == p.address) moved.line1 += " Unit 2";
      p.address = std::move(moved);
      break;
    }
    case 1: {  // a new number on one line
      if (p.phones.empty()) break;
      domain::PhoneInput& phone = p.phones[rng_.Below(p.phones.size())];
      std::string number = FictionalPhone(rng_);
      while (number == phone.number) number = FictionalPhone(rng_);
      phone.number = std::move(number);
      return domain::UpdateProfile{std::move(p)};
    }
    case 2: {
      std::string_view language = kLanguages[rng_.Below(kLanguages.size())];
      if (language == p.language) language = language == "en" ? "es" : "en";
      p.language = std::string(language);
      return domain::UpdateProfile{std::move(p)};
    }
    case 3:
      p.contact_time = static_cast<domain::ContactTime>(
          (static_cast<int>(p.contact_time) + 1 + rng_.Below(2)) % 3);
      return domain::UpdateProfile{std::move(p)};
    case 4:
      p.additional_info = fmt::format("Updated at visit {}: {}", n_, NoteText(rng_, index_, n_));
      return domain::UpdateProfile{std::move(p)};
    default:
      p.do_not_mail = !p.do_not_mail;
      return domain::UpdateProfile{std::move(p)};
  }
  // Moved, or a number change for a customer without phones: a new address.
  if (p.address == s.address) p.address = RandomAddress(rng_);
  if (p.address == s.address) p.address.line1 += " Unit 2";
  return domain::UpdateProfile{std::move(p)};
}

domain::Command CustomerScript::Consent(const CustomerState& s) {
  domain::SetConsent c;
  const std::uint64_t channel = rng_.Below(3);
  if (channel == 0 && !s.phones.empty()) {
    c.consent.channel = domain::Channel::Sms;
    c.consent.contact_point = s.phones[rng_.Below(s.phones.size())].number;
  } else if (channel == 1 && !s.emails.empty()) {
    c.consent.channel = domain::Channel::Email;
    c.consent.contact_point = domain::LowerAscii(s.emails[rng_.Below(s.emails.size())].address);
  } else {
    c.consent.channel = domain::Channel::Call;  // the whole customer
  }
  const domain::ConsentRecord* current =
      domain::FindConsent(s, c.consent.channel, c.consent.contact_point);
  c.consent.status = current != nullptr && current->consent.status == domain::ConsentStatus::OptedIn
                         ? domain::ConsentStatus::OptedOut
                         : domain::ConsentStatus::OptedIn;
  c.consent.purpose = domain::ConsentPurpose::Marketing;
  c.consent.basis = domain::ConsentBasis::Express;
  c.consent.method = rng_.PerMille(700) ? domain::ConsentMethod::Web : domain::ConsentMethod::Paper;
  c.consent.jurisdiction = "US";
  c.consent.disclosure_version = "2026-01";
  c.consent.evidence = c.consent.method == domain::ConsentMethod::Web
                           ? "web form, box ticked by the customer"
                           : "signed service intake form";
  return c;
}

}  // namespace ledger::bench
