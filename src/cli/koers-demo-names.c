/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo-names.h"

#include "core/koers-text.h"

#include <string.h>

typedef enum {
  CULTURE_DUTCH,
  CULTURE_ARABIC,
  CULTURE_TIGRINYA,
  CULTURE_POLISH,
  CULTURE_TURKISH,
  CULTURE_UKRAINIAN,
  CULTURE_ROMANIAN,
  CULTURE_PORTUGUESE,
  N_CULTURES
} Culture;

/* Culture mix per target group, in Culture order. */
static const guint culture_weights[KOERS_N_TARGET_GROUPS][N_CULTURES] = {
  [KOERS_TARGET_GROUP_STATUSHOLDER]       = { 0, 55, 40, 0, 5, 0, 0, 0 },
  [KOERS_TARGET_GROUP_ASYLUM_SEEKER]      = { 0, 35, 35, 0, 5, 25, 0, 0 },
  [KOERS_TARGET_GROUP_LABOUR_MIGRANT]     = { 0, 0, 0, 40, 5, 10, 25, 20 },
  [KOERS_TARGET_GROUP_NUG]                = { 50, 15, 0, 5, 20, 0, 0, 10 },
  [KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE] = { 75, 10, 5, 0, 10, 0, 0, 0 },
  [KOERS_TARGET_GROUP_LOW_BASIC_SKILLS]   = { 55, 15, 10, 0, 15, 0, 5, 0 },
  [KOERS_TARGET_GROUP_WORKER_RESKILLING]  = { 80, 0, 0, 10, 5, 5, 0, 0 },
  [KOERS_TARGET_GROUP_CAREER_SWITCHER]    = { 85, 5, 0, 0, 5, 5, 0, 0 },
};

/* The plan's 75 migrants / 75 at a distance / 50 re-skilling, spread over the groups. */
static const guint target_group_weights[KOERS_N_TARGET_GROUPS] = {
  [KOERS_TARGET_GROUP_STATUSHOLDER]       = 16,
  [KOERS_TARGET_GROUP_ASYLUM_SEEKER]      = 8,
  [KOERS_TARGET_GROUP_LABOUR_MIGRANT]     = 14,
  [KOERS_TARGET_GROUP_NUG]                = 8,
  [KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE] = 18,
  [KOERS_TARGET_GROUP_LOW_BASIC_SKILLS]   = 11,
  [KOERS_TARGET_GROUP_WORKER_RESKILLING]  = 15,
  [KOERS_TARGET_GROUP_CAREER_SWITCHER]    = 10,
};

/* Inhabitants in thousands (CBS, 2024), so Doetinchem gets the most participants. */
static const guint municipality_weights[KOERS_N_MUNICIPALITIES] = {
  [KOERS_MUNICIPALITY_AALTEN]            = 28,
  [KOERS_MUNICIPALITY_BERKELLAND]        = 44,
  [KOERS_MUNICIPALITY_BRONCKHORST]       = 37,
  [KOERS_MUNICIPALITY_DOETINCHEM]        = 59,
  [KOERS_MUNICIPALITY_MONTFERLAND]       = 36,
  [KOERS_MUNICIPALITY_OOST_GELRE]        = 30,
  [KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK] = 40,
  [KOERS_MUNICIPALITY_WINTERSWIJK]       = 29,
};

static const char * const dutch_female[] = {
  "Anouk", "Eva", "Fleur", "Ineke", "Karin", "Lotte", "Marieke", "Sanne", "Yvonne", "Joke",
  "Riek", "Willemien", "Zoë", "Chloë", "Anaïs", "Dionne", "Gerdien", "Mirjam",
};
static const char * const dutch_male[] = {
  "Bram", "Daan", "Gerrit", "Henk", "Jeroen", "Niels", "Ruud", "Thijs", "Wim", "Hendrik",
  "Gert-Jan", "Bert", "Sjoerd", "René", "Noël", "Jurgen", "Marco", "Teun",
};
static const char * const dutch_family[] = {
  "Jansen", "de Vries", "ter Horst", "Wassink", "Bussink", "Te Winkel", "Hulshof",
  "Klein Gunnewiek", "Heijink", "Wolbrink", "te Lintelo", "Nijhof", "Eppink", "Bosch",
  "van den Berg", "Smit", "Meijer", "Mulder", "Roerdink", "Geerdink", "Lammers", "Stortelder",
  "Kolkman", "Rouwhorst", "Hoftijzer", "Zieverink", "Tiemessen", "Bruggeman",
};

/* Arabic script and the transliteration people use in Dutch paperwork, index for index. */
static const char * const arabic_female[] = {
  "فاطمة", "مريم", "ليلى", "نور", "سارة", "رهف", "آية", "هبة",
};
static const char * const arabic_female_latin[] = {
  "Fatima", "Maryam", "Layla", "Nour", "Sara", "Rahaf", "Aya", "Hiba",
};
static const char * const arabic_male[] = {
  "محمد", "أحمد", "خالد", "عمر", "يوسف", "حسن", "علي", "إبراهيم",
};
static const char * const arabic_male_latin[] = {
  "Mohammed", "Ahmad", "Khaled", "Omar", "Youssef", "Hassan", "Ali", "Ibrahim",
};
static const char * const arabic_family[] = {
  "الأحمد", "حسن", "الخطيب", "العلي", "الحمصي", "درويش", "سليمان", "المصري", "قاسم", "الحلبي",
};
static const char * const arabic_family_latin[] = {
  "Al-Ahmad", "Hassan", "Al-Khatib", "Alali", "Al-Homsi", "Darwish", "Suleiman", "Al-Masri",
  "Kassem", "Al-Halabi",
};

/* Tigrinya in Ge'ez script and Latin. Eritreans carry their father's name as second name. */
static const char * const tigrinya_female[] = { "ሰላም", "ሄለን", "ፍረወይኒ", "ሩታ", "ሳባ", "ኤደን" };
static const char * const tigrinya_female_latin[] = {
  "Selam", "Helen", "Freweini", "Ruta", "Saba", "Eden",
};
static const char * const tigrinya_male[] = { "ዮናስ", "ሚካኤል", "ዳዊት", "ተኽለ", "ሙሴ", "ኣማኑኤል" };
static const char * const tigrinya_male_latin[] = {
  "Yonas", "Mikael", "Dawit", "Tekle", "Mussie", "Amanuel",
};
static const char * const tigrinya_family[] = { "ተስፋይ", "ገብረሚካኤል", "ኪዳነ", "ሃይለ", "ብርሃነ", "ወልዱ" };
static const char * const tigrinya_family_latin[] = {
  "Tesfay", "Gebremichael", "Kidane", "Haile", "Berhane", "Weldu",
};

static const char * const ukrainian_female[] = { "Олена", "Ірина", "Юлія", "Наталія", "Оксана" };
static const char * const ukrainian_female_latin[] = {
  "Olena", "Iryna", "Yuliia", "Nataliia", "Oksana",
};
static const char * const ukrainian_male[] = { "Олександр", "Дмитро", "Андрій", "Тарас", "Сергій" };
static const char * const ukrainian_male_latin[] = {
  "Oleksandr", "Dmytro", "Andrii", "Taras", "Serhii",
};
static const char * const ukrainian_family[] = {
  "Коваленко", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко",
};
static const char * const ukrainian_family_latin[] = {
  "Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravchenko",
};

static const char * const polish_female[] = {
  "Agnieszka", "Katarzyna", "Małgorzata", "Zofia", "Joanna", "Ewa",
};
static const char * const polish_male[] = {
  "Łukasz", "Paweł", "Krzysztof", "Michał", "Tomasz", "Piotr",
};
/* Polish surnames in -ski/-cki take -ska/-cka for women; index for index. */
static const char * const polish_family_male[] = {
  "Wiśniewski", "Wójcik", "Kowalczyk", "Zieliński", "Szymański", "Woźniak", "Dąbrowski",
};
static const char * const polish_family_female[] = {
  "Wiśniewska", "Wójcik", "Kowalczyk", "Zielińska", "Szymańska", "Woźniak", "Dąbrowska",
};

static const char * const turkish_female[] = {
  "Ayşe", "Zeynep", "Elif", "Gülsüm", "Büşra", "Fatma",
};
static const char * const turkish_male[] = {
  "Mehmet", "Emre", "Hüseyin", "Burak", "Mustafa", "Oğuz",
};
static const char * const turkish_family[] = {
  "Özdemir", "Çelik", "Yılmaz", "Şahin", "Aydın", "Doğan", "Kaya", "Öztürk",
};

static const char * const romanian_female[] = {
  "Ioana", "Elena", "Cristina", "Andreea", "Mădălina",
};
static const char * const romanian_male[] = { "Andrei", "Mihai", "Ștefan", "Ionuț", "Alexandru" };
static const char * const romanian_family[] = {
  "Popescu", "Ionescu", "Dumitru", "Munteanu", "Constantinescu", "Stănescu", "Răducanu",
};

static const char * const portuguese_female[] = {
  "Inês", "Conceição", "Mariana", "Beatriz", "Joana",
};
static const char * const portuguese_male[] = { "João", "Gonçalo", "António", "Tiago", "Luís" };
static const char * const portuguese_family[] = {
  "Silva", "Ferreira", "Santos", "Pereira", "Costa", "Gonçalves", "Magalhães",
};

static const char * const coach_names[KOERS_DEMO_MAX_COACHES] = {
  "Marieke ter Horst", "Gerrit Wassink", "Ineke Bussink", "Jeroen Te Winkel", "Sanne Hulshof",
  "Ruud Klein Gunnewiek", "Anouk Heijink", "Bram Wolbrink", "Yvonne te Lintelo",
  "Hendrik Nijhof", "Lotte Eppink", "Thijs Roerdink",
};

guint
koers_demo_pick_weighted (GRand *rand, const guint *weights, guint n)
{
  guint total = 0;
  guint draw;

  g_return_val_if_fail (rand != NULL && weights != NULL && n > 0, 0);

  for (guint i = 0; i < n; i++)
    total += weights[i];
  g_return_val_if_fail (total > 0, 0);

  draw = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < n; i++)
    {
      if (draw < weights[i])
        return i;
      draw -= weights[i];
    }
  g_assert_not_reached ();
}

KoersTargetGroup
koers_demo_pick_target_group (GRand *rand)
{
  return (KoersTargetGroup) koers_demo_pick_weighted (rand, target_group_weights,
                                                      KOERS_N_TARGET_GROUPS);
}

KoersMunicipality
koers_demo_pick_municipality (guint32 position)
{
  guint64 total = 0;
  guint64 scaled;

  for (guint i = 0; i < KOERS_N_MUNICIPALITIES; i++)
    total += municipality_weights[i];
  scaled = ((guint64) position * total) >> 32;
  for (guint i = 0; i < KOERS_N_MUNICIPALITIES; i++)
    {
      if (scaled < municipality_weights[i])
        return (KoersMunicipality) i;
      scaled -= municipality_weights[i];
    }
  g_assert_not_reached ();
}

const char *
koers_demo_coach_name (guint index)
{
  g_return_val_if_fail (index < KOERS_DEMO_MAX_COACHES, NULL);
  return coach_names[index];
}

void
koers_demo_person_clear (KoersDemoPerson *person)
{
  g_clear_pointer (&person->name, g_free);
  g_clear_pointer (&person->preferred_name, g_free);
  g_clear_pointer (&person->ascii, g_free);
}

/* "Łukasz Wiśniewski" -> "lukasz.wisniewski", for made-up e-mail addresses. */
static char *
make_ascii (const char *given, const char *family)
{
  g_autofree char *full = g_strconcat (given, " ", family, NULL);
  g_autofree char *plain = g_str_to_ascii (full, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = plain; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (*p == ' ' && out->len > 0 && out->str[out->len - 1] != '.')
        g_string_append_c (out, '.');
    }
  return g_string_free (out, FALSE);
}

/* Picks index @i in parallel script/Latin tables and fills @person. */
static void
fill_scripted (GRand *rand, KoersDemoPerson *person, gboolean female, guint script_percent,
               const char * const *f, const char * const *f_latin, guint n_f,
               const char * const *m, const char * const *m_latin, guint n_m,
               const char * const *fam, const char * const *fam_latin, guint n_fam)
{
  guint given = (guint) g_rand_int_range (rand, 0, (gint32) (female ? n_f : n_m));
  guint family = (guint) g_rand_int_range (rand, 0, (gint32) n_fam);
  const char *given_latin = female ? f_latin[given] : m_latin[given];
  gboolean script = (guint) g_rand_int_range (rand, 0, 100) < script_percent;

  person->ascii = make_ascii (given_latin, fam_latin[family]);
  if (script)
    {
      person->name = g_strconcat (female ? f[given] : m[given], " ", fam[family], NULL);
      person->non_latin = TRUE;
      /* Half of them go by the Latin spelling of their first name at work. */
      if (g_rand_boolean (rand))
        person->preferred_name = g_strdup (given_latin);
    }
  else
    {
      person->name = g_strconcat (given_latin, " ", fam_latin[family], NULL);
    }
}

/* Draws the given name before the family name: C leaves the order in which function
 * arguments are evaluated open, and the same seed must give the same people everywhere. */
static void
fill_latin (GRand *rand, KoersDemoPerson *person, gboolean female,
            const char * const *f, guint n_f, const char * const *m, guint n_m,
            const char * const *fam, guint n_fam)
{
  const char *given = female ? f[g_rand_int_range (rand, 0, (gint32) n_f)]
                             : m[g_rand_int_range (rand, 0, (gint32) n_m)];
  const char *family = fam[g_rand_int_range (rand, 0, (gint32) n_fam)];

  person->name = g_strconcat (given, " ", family, NULL);
  person->ascii = make_ascii (given, family);
}

#define LATIN(rand, person, female, f, m, fam) \
  fill_latin (rand, person, female, f, G_N_ELEMENTS (f), m, G_N_ELEMENTS (m), \
              fam, G_N_ELEMENTS (fam))

#define SCRIPTED(rand, person, female, percent, f, fl, m, ml, fam, faml) \
  fill_scripted (rand, person, female, percent, f, fl, G_N_ELEMENTS (f), m, ml, G_N_ELEMENTS (m), \
                 fam, faml, G_N_ELEMENTS (fam))

void
koers_demo_make_person (GRand *rand, KoersTargetGroup group, KoersDemoPerson *out_person)
{
  Culture culture;
  gboolean female;
  g_autofree char *raw_name = NULL;

  g_return_if_fail (rand != NULL);
  g_return_if_fail ((guint) group < KOERS_N_TARGET_GROUPS);
  g_return_if_fail (out_person != NULL);

  memset (out_person, 0, sizeof *out_person);
  culture = (Culture) koers_demo_pick_weighted (rand, culture_weights[group], N_CULTURES);
  female = g_rand_boolean (rand);

  switch (culture)
    {
    case CULTURE_DUTCH:
      LATIN (rand, out_person, female, dutch_female, dutch_male, dutch_family);
      out_person->languages = "Nederlands";
      out_person->preferred_language = "nl";
      break;
    case CULTURE_ARABIC:
      SCRIPTED (rand, out_person, female, 50, arabic_female, arabic_female_latin, arabic_male,
                arabic_male_latin, arabic_family, arabic_family_latin);
      out_person->languages = g_rand_boolean (rand) ? "Arabisch, Nederlands"
                                                    : "Arabisch, Engels, Nederlands";
      out_person->preferred_language = "ar";
      break;
    case CULTURE_TIGRINYA:
      SCRIPTED (rand, out_person, female, 40, tigrinya_female, tigrinya_female_latin,
                tigrinya_male, tigrinya_male_latin, tigrinya_family, tigrinya_family_latin);
      out_person->languages = g_rand_boolean (rand) ? "Tigrinya, Nederlands"
                                                    : "Tigrinya, Arabisch, Engels";
      out_person->preferred_language = "ti";
      break;
    case CULTURE_UKRAINIAN:
      SCRIPTED (rand, out_person, female, 25, ukrainian_female, ukrainian_female_latin,
                ukrainian_male, ukrainian_male_latin, ukrainian_family, ukrainian_family_latin);
      out_person->languages = "Oekraïens, Russisch, Engels";
      out_person->preferred_language = "uk";
      break;
    case CULTURE_POLISH:
      /* -ski/-cki become -ska/-cka for women: one index into the two tables. */
      if (female)
        LATIN (rand, out_person, TRUE, polish_female, polish_male, polish_family_female);
      else
        LATIN (rand, out_person, FALSE, polish_female, polish_male, polish_family_male);
      out_person->languages = "Pools, Engels";
      out_person->preferred_language = "pl";
      break;
    case CULTURE_TURKISH:
      LATIN (rand, out_person, female, turkish_female, turkish_male, turkish_family);
      out_person->languages = "Turks, Nederlands";
      out_person->preferred_language = g_rand_boolean (rand) ? "nl" : "tr";
      break;
    case CULTURE_ROMANIAN:
      LATIN (rand, out_person, female, romanian_female, romanian_male, romanian_family);
      out_person->languages = "Roemeens, Engels";
      out_person->preferred_language = "ro";
      break;
    case CULTURE_PORTUGUESE:
      LATIN (rand, out_person, female, portuguese_female, portuguese_male, portuguese_family);
      out_person->languages = "Portugees, Engels";
      out_person->preferred_language = "pt";
      break;
    case N_CULTURES:
    default:
      g_assert_not_reached ();
    }

  /* The tables are typed in NFC already; normalising keeps that true whatever an editor did. */
  raw_name = g_steal_pointer (&out_person->name);
  out_person->name = koers_text_normalize (raw_name);
}
