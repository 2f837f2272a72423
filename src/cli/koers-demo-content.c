/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo-content.h"

#include <string.h>

#define PICK(rand, table) ((table)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (table))])

static const char * const organisations[KOERS_DEMO_N_ORGANISATIONS] = {
  "Werkcentrum Achterhoek", "Gemeente Doetinchem", "Gemeente Winterswijk",
  "Gemeente Oude IJsselstreek", "Opijver", "Laborijn",
};

/* The sector as a coach names it inside a Dutch sentence. */
static const char * const sector_words[KOERS_N_SECTORS] = {
  [KOERS_SECTOR_TECHNIEK]        = "techniek",
  [KOERS_SECTOR_ZORG]            = "zorg",
  [KOERS_SECTOR_LOGISTIEK]       = "logistiek",
  [KOERS_SECTOR_ICT]             = "ICT",
  [KOERS_SECTOR_DIENSTVERLENING] = "dienstverlening",
  [KOERS_SECTOR_CREATIEF]        = "creatieve sector",
  [KOERS_SECTOR_GROEN]           = "groene sector",
};

/* Made-up employers; real place names so the map of the region feels right. */
static const char * const employers[KOERS_N_SECTORS][4] = {
  [KOERS_SECTOR_TECHNIEK] = { "Metaalbewerking Ulft BV", "Installatietechniek Lichtenvoorde",
                              "Machinebouw Achterhoek", "Elektro Borculo" },
  [KOERS_SECTOR_ZORG] = { "Zorgcentrum De Wissel", "Thuiszorg Oost Gelre",
                          "Woonzorg Het Hoge Veld", "Zorggroep Slangenburg" },
  [KOERS_SECTOR_LOGISTIEK] = { "Logistiek Centrum Ulft", "Transport Zelhem BV",
                               "Distributiecentrum Doetinchem", "Warehouse Aalten" },
  [KOERS_SECTOR_ICT] = { "Digitaalhuis Achterhoek", "Softwarebureau Winterswijk",
                         "IT-Service Groenlo", "Datacenter Doetinchem" },
  [KOERS_SECTOR_DIENSTVERLENING] = { "Hotel De Gouden Karper", "Schoonmaakbedrijf Eibergen",
                                     "Supermarkt Vorden", "Bibliotheek West-Achterhoek" },
  [KOERS_SECTOR_CREATIEF] = { "Drukkerij Neede", "Meubelmakerij Hengelo (Gld)",
                              "Theater Amphion", "Ontwerpstudio Zutphen-Oost" },
  [KOERS_SECTOR_GROEN] = { "Hoveniersbedrijf Ruurlo", "Boomkwekerij Varsseveld",
                           "Melkveebedrijf Beltrum", "Natuurbeheer Winterswijk" },
};

static const char * const interests[KOERS_N_SECTORS] = {
  [KOERS_SECTOR_TECHNIEK]        = "Werkt graag met de handen; sleutelt thuis aan fietsen.",
  [KOERS_SECTOR_ZORG]            = "Zorgt graag voor anderen; heeft mantelzorg gedaan.",
  [KOERS_SECTOR_LOGISTIEK]       = "Houdt van aanpakken en overzicht; heeft een rijbewijs B.",
  [KOERS_SECTOR_ICT]             = "Computers en telefoons repareren; leert zelf programmeren.",
  [KOERS_SECTOR_DIENSTVERLENING] = "Klantcontact, koken en gastvrijheid.",
  [KOERS_SECTOR_CREATIEF]        = "Tekenen, naaien en houtbewerking.",
  [KOERS_SECTOR_GROEN]           = "Buiten werken, tuinieren en dieren.",
};

static const char * const ambitions[] = {
  "Een vaste baan in de %s binnen een jaar.",
  "Via een werkleerplek een diploma halen in de %s.",
  "Eerst beter Nederlands, daarna werk in de %s.",
  "Omscholen naar de %s en daar doorgroeien.",
  "Weer aan het werk, het liefst in de %s, parttime naast de kinderen.",
};

static const char * const notes_registered[] = {
  "Aangemeld via de gemeente. Eerste kennismaking telefonisch; afspraak voor intake gepland.",
  "Aangemeld door het taalcentrum. Belangstelling voor de %s, verder nog weinig bekend.",
  "Zelf aangemeld na de informatiemarkt in de bibliotheek. Wil weten wat er mogelijk is in de %s.",
  "Doorverwezen door UWV. Geen e-mail; bereikbaar via telefoon of WhatsApp.",
  "Telefonisch contact gehad; intake staat gepland.",
  "Herinnering voor de intake gestuurd via WhatsApp.",
  "Intake verzet op verzoek van de deelnemer; nieuwe datum afgesproken.",
  "Kort gesprek bij het inloopspreekuur in de bibliotheek.",
};
static const char * const notes_intake[] = {
  "Intakegesprek gehad; wil graag in de %s werken.",
  "Intake met tolk gedaan. Heeft in het land van herkomst ervaring opgedaan in de %s.",
  "Intakegesprek: motivatie goed, Nederlands nog lastig. Taalmaatje besproken.",
  "Intake: kinderopvang is een drempel, samen naar oplossingen gekeken. Interesse in de %s.",
  "Diploma's uit het buitenland meegenomen; waardering via IDW aangevraagd.",
  "Tweede intakegesprek: doelen op papier gezet, wil beginnen met een proeverij in de %s.",
  "Taaltoets afgenomen; niveau besproken en taalmaatje aangevraagd.",
};
static const char * const notes_active[] = {
  "Proeverij %s bij %s bezocht; enthousiast teruggekomen.",
  "Gesprek over de werkleerplek bij %s: gaat goed, begeleider is tevreden.",
  "CV samen bijgewerkt en een sollicitatiebrief geschreven voor een vacature in de %s.",
  "Training gestart; eerste lessen goed bevallen, reistijd met de bus is wel lang.",
  "Telefonisch contact: ziek geweest, afspraak verzet naar volgende week.",
  "Meegelopen bij %s. Wil graag verder in de %s, maar twijfelt over de werktijden.",
  "Voortgangsgesprek: taalniveau vooruitgegaan, nu ook gesprekken zonder tolk.",
  "Opijver-voucher voor een opleiding in de %s aangevraagd.",
};
static const char * const notes_aftercare[] = {
  "Nazorggesprek: werkt nu bij %s, gaat goed. Over een maand nog eens bellen.",
  "Nazorg: contract verlengd bij %s. Wil op termijn een opleiding in de %s.",
  "Korte check-in per telefoon; geen hulpvragen op dit moment.",
};
static const char * const notes_completed[] = {
  "Traject afgerond. Heeft een baan gevonden bij %s.",
  "Afsluitend gesprek: start na de zomer met een opleiding in de %s.",
  "Traject afgesloten; werkt via een werkleerplek bij %s toe naar een diploma.",
};
static const char * const notes_dropped_out[] = {
  "Niet verschenen op twee afspraken; geen reactie op berichten. Traject gestopt.",
  "Verhuisd naar een andere regio; dossier afgesloten en warme overdracht gedaan.",
  "Stopt voorlopig vanwege gezondheid; mag zich later opnieuw aanmelden.",
};

static const char * const next_actions_registered[] = {
  "Intakegesprek plannen", "Terugbellen voor afspraak", "Uitnodiging intake sturen",
};
static const char * const next_actions_intake[] = {
  "Tweede intakegesprek", "Taalniveau laten bepalen", "Plan van aanpak opstellen",
  "Diplomawaardering nabellen",
};
static const char * const next_actions_active[] = {
  "CV bijwerken", "Proeverij inplannen", "Evaluatiegesprek werkleerplek",
  "Terugbellen over taalcursus", "Voucheraanvraag controleren", "Voortgangsgesprek",
};
static const char * const next_actions_aftercare[] = {
  "Nazorggesprek", "Bellen na eerste werkmaand", "Afsluitend gesprek plannen",
};

static const KoersDemoTraining trainings[KOERS_N_SECTORS][2] = {
  [KOERS_SECTOR_TECHNIEK] = { { "Basis elektrotechniek", "Graafschap College" },
                              { "Lassen MIG/MAG", "Techkwadraat" } },
  [KOERS_SECTOR_ZORG] = { { "Helpende Zorg en Welzijn (BBL)", "Graafschap College" },
                          { "Taal in de zorg", "Grensland College" } },
  [KOERS_SECTOR_LOGISTIEK] = { { "Heftruckchauffeur", "Opijver" },
                               { "Magazijnmedewerker", "Graafschap College" } },
  [KOERS_SECTOR_ICT] = { { "Digitale basisvaardigheden", "Digitaalhuis" },
                         { "ICT-support", "Graafschap College" } },
  [KOERS_SECTOR_DIENSTVERLENING] = { { "Gastheer en gastvrouw", "Grensland College" },
                                     { "Klantgericht werken", "Opijver" } },
  [KOERS_SECTOR_CREATIEF] = { { "Meubelmaken basis", "Graafschap College" },
                              { "Grafische vormgeving oriëntatie", "Smarthub" } },
  [KOERS_SECTOR_GROEN] = { { "Hovenier niveau 2", "Graafschap College" },
                           { "Werken in het groen", "Laborijn" } },
};

static const KoersDemoCredential credentials[KOERS_N_SECTORS][2] = {
  [KOERS_SECTOR_TECHNIEK] = {
    { KOERS_ACTIVITY_CERTIFICATE, "VCA Basisveiligheid", "Techkwadraat", 0 },
    { KOERS_ACTIVITY_PRAKTIJKVERKLARING, "Praktijkverklaring Assistent installateur",
      "Graafschap College", 2 } },
  [KOERS_SECTOR_ZORG] = {
    { KOERS_ACTIVITY_PRAKTIJKVERKLARING, "Praktijkverklaring Helpende Zorg",
      "Graafschap College", 2 },
    { KOERS_ACTIVITY_MICROCREDENTIAL, "Microcredential Persoonlijke verzorging", "HAN", 3 } },
  [KOERS_SECTOR_LOGISTIEK] = {
    { KOERS_ACTIVITY_CERTIFICATE, "Certificaat Heftruck", "Opijver", 0 },
    { KOERS_ACTIVITY_PRAKTIJKVERKLARING, "Praktijkverklaring Logistiek medewerker",
      "Graafschap College", 1 } },
  [KOERS_SECTOR_ICT] = {
    { KOERS_ACTIVITY_MICROCREDENTIAL, "Microcredential Digitale vaardigheden", "Digitaalhuis",
      2 },
    { KOERS_ACTIVITY_CERTIFICATE, "Certificaat ICT-support", "Graafschap College", 3 } },
  [KOERS_SECTOR_DIENSTVERLENING] = {
    { KOERS_ACTIVITY_CERTIFICATE, "Certificaat Sociale Hygiëne", "Grensland College", 0 },
    { KOERS_ACTIVITY_PRAKTIJKVERKLARING, "Praktijkverklaring Medewerker horeca",
      "Grensland College", 1 } },
  [KOERS_SECTOR_CREATIEF] = {
    { KOERS_ACTIVITY_MICROCREDENTIAL, "Microcredential Houtbewerking", "Graafschap College",
      2 },
    { KOERS_ACTIVITY_CERTIFICATE, "Entree-diploma", "Graafschap College", 1 } },
  [KOERS_SECTOR_GROEN] = {
    { KOERS_ACTIVITY_PRAKTIJKVERKLARING, "Praktijkverklaring Medewerker groen", "Laborijn", 2 },
    { KOERS_ACTIVITY_CERTIFICATE, "Certificaat Motorkettingzaag", "Graafschap College", 0 } },
};

static const KoersDemoSkill skills[KOERS_N_SECTORS][3] = {
  [KOERS_SECTOR_TECHNIEK] = {
    { "Lassen (MIG/MAG)", "7212", 2, "Proefstuk beoordeeld tijdens werkleerplek" },
    { "Technische tekening lezen", "7233", 2, "Observatie door praktijkbegeleider" },
    { "Veilig werken", NULL, 0, "VCA-certificaat" } },
  [KOERS_SECTOR_ZORG] = {
    { "Persoonlijke verzorging", "5322", 2, "Praktijkverklaring Helpende Zorg" },
    { "Communiceren met cliënten", NULL, 0, "Beoordeling werkbegeleider" },
    { "Signaleren van veranderingen", "5321", 3, "Stageverslag" } },
  [KOERS_SECTOR_LOGISTIEK] = {
    { "Heftruck rijden", "8344", 2, "Certificaat Heftruck" },
    { "Orderpicken met scanner", "4321", 1, "Observatie op de werkvloer" },
    { "Voorraadbeheer", "4321", 2, "Praktijkverklaring" } },
  [KOERS_SECTOR_ICT] = {
    { "Werkplekken installeren", "3512", 3, "Opdracht afgerond bij leerbedrijf" },
    { "Digitale basisvaardigheden", NULL, 1, "Microcredential" },
    { "Klanten helpen bij storingen", "3512", 2, "Beoordeling werkbegeleider" } },
  [KOERS_SECTOR_DIENSTVERLENING] = {
    { "Klantgericht werken", "5223", 2, "Beoordeling leidinggevende" },
    { "Hygiënisch werken", "5120", 1, "Certificaat Sociale Hygiëne" },
    { "Kassawerk", "5230", 1, "Observatie op de werkvloer" } },
  [KOERS_SECTOR_CREATIEF] = {
    { "Hout bewerken met machines", "7522", 2, "Werkstuk beoordeeld" },
    { "Ontwerpen schetsen", "2163", 3, "Portfolio" },
    { "Samenwerken", NULL, 0, "Beoordeling werkbegeleider" } },
  [KOERS_SECTOR_GROEN] = {
    { "Snoeien en onderhoud beplanting", "6113", 2, "Praktijkverklaring Medewerker groen" },
    { "Kleine machines bedienen", "8341", 2, "Observatie door praktijkbegeleider" },
    { "Plannen van het eigen werk", NULL, 0, "Gesprek met leidinggevende" } },
};

const char *
koers_demo_organisation_name (guint index)
{
  g_return_val_if_fail (index < KOERS_DEMO_N_ORGANISATIONS, NULL);
  return organisations[index];
}

const char *
koers_demo_employer (GRand *rand, KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return PICK (rand, employers[sector]);
}

const char *
koers_demo_interest (KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return interests[sector];
}

/* Fills a template's %s slots in order: the sector for "in de %s", an employer after "bij". */
static char *
fill_template (GRand *rand, const char *template, KoersSector sector)
{
  GString *out = g_string_new (NULL);
  const char *employer = koers_demo_employer (rand, sector);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's')
        {
          gboolean after_bij = out->len >= 4 && strcmp (out->str + out->len - 4, "bij ") == 0;

          g_string_append (out, after_bij ? employer : sector_words[sector]);
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

char *
koers_demo_note_text (GRand *rand, KoersStatus status, KoersSector sector)
{
  const char *template = NULL;

  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);

  switch (status)
    {
    case KOERS_STATUS_REGISTERED: template = PICK (rand, notes_registered); break;
    case KOERS_STATUS_INTAKE:     template = PICK (rand, notes_intake); break;
    case KOERS_STATUS_ACTIVE:     template = PICK (rand, notes_active); break;
    case KOERS_STATUS_AFTERCARE:  template = PICK (rand, notes_aftercare); break;
    case KOERS_STATUS_COMPLETED:  template = PICK (rand, notes_completed); break;
    case KOERS_STATUS_DROPPED_OUT: template = PICK (rand, notes_dropped_out); break;
    case KOERS_N_STATUSES:
    default:
      g_return_val_if_reached (NULL);
    }
  return fill_template (rand, template, sector);
}

const char *
koers_demo_next_action (GRand *rand, KoersStatus status)
{
  switch (status)
    {
    case KOERS_STATUS_REGISTERED: return PICK (rand, next_actions_registered);
    case KOERS_STATUS_INTAKE:     return PICK (rand, next_actions_intake);
    case KOERS_STATUS_ACTIVE:     return PICK (rand, next_actions_active);
    case KOERS_STATUS_AFTERCARE:  return PICK (rand, next_actions_aftercare);
    case KOERS_STATUS_COMPLETED:
    case KOERS_STATUS_DROPPED_OUT:
    case KOERS_N_STATUSES:
    default:
      return NULL;
    }
}

char *
koers_demo_ambition (GRand *rand, KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return fill_template (rand, PICK (rand, ambitions), sector);
}

const KoersDemoTraining *
koers_demo_training (GRand *rand, KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return &trainings[sector][g_rand_int_range (rand, 0, 2)];
}

const KoersDemoCredential *
koers_demo_credential (GRand *rand, KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return &credentials[sector][g_rand_int_range (rand, 0, 2)];
}

const KoersDemoSkill *
koers_demo_skill (GRand *rand, KoersSector sector)
{
  g_return_val_if_fail ((guint) sector < KOERS_N_SECTORS, NULL);
  return &skills[sector][g_rand_int_range (rand, 0, 3)];
}
