/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Between the caseload model's two halves: koers-caseload-model.c (the list, its queries and
 * GListModel) and koers-caseload-model-cache.c (the rows read from disk a page at a time and
 * kept while the view may show them).
 */
#pragma once

#include "app/koers-caseload-model.h"
#include "app/koers-caseload-model-audit.h"

G_BEGIN_DECLS

/* Rows are read from disk this many at a time: one indexed read per screenful. */
#define KOERS_CASELOAD_PAGE_SIZE 64
/* Above this many cached rows, a requery evicts the rows nobody but the cache holds. */
#define KOERS_CASELOAD_CACHE_SOFT_LIMIT 512

struct _KoersCaseloadModel
{
  GObject             parent_instance;

  KoersStore         *store;
  KoersCaseloadQuery  query;
  GArray             *rowids;        /* gint64, display order */
  GArray             *base;          /* (nullable): the list for base_query, for searches */
  KoersCaseloadQuery  base_query;    /* the query without its search */
  GHashTable         *rows;          /* gint64 *rowid -> KoersCaseloadRow */
  GCancellable       *cancellable;   /* the query in flight */
  KoersCaseloadSearchAudit *audit;   /* koers-caseload-model-audit.c */
  guint               first_rows;     /* construct-only; 0: the first list is read whole */
  guint               n_matches;      /* participants the query matches */
  GArray             *fill_target;   /* (nullable): the list being shown in steps (-fill.c) */
  guint               fill_source;    /* the next step's timeout */
  guint               fill_shown;     /* rows of fill_target shown; old rows may follow */
  guint               loading : 1;
  guint               refresh_rows : 1; /* data changed since the rows were read */
  guint               partial : 1;   /* rowids holds only the first rows of the list */
  guint               held : 1;      /* a change only counts again (koers_caseload_model_set_held) */
  guint               counting : 1;  /* the query in flight is a held model's count */
  guint               fill_in_steps : 1; /* the next list (after a hold) is shown in steps */
  guint               fill_all_old : 1;  /* the old rows go at the first step */
};

/* Reads the page of rows around @position that the cache does not hold (a placeholder for a
 * row that cannot be read). */
void        koers_caseload_model_load_page         (KoersCaseloadModel *self,
                                                    guint               position);
/* Drops the rows only the cache holds (not on screen; one re-read later). */
void        koers_caseload_model_cache_evict_unused (KoersCaseloadModel *self);
/* (transfer full) the rowids of the rows the view may still show, after dropping the rest. */
GArray     *koers_caseload_model_cache_keys         (KoersCaseloadModel *self);
/* After a write, the rows the view may still show, read again: by the query's worker when it
 * did (@ids, @rows nullable), else here. Returns (transfer full) the set of rowids whose
 * content changed, so their lines can be redrawn. */
GHashTable *koers_caseload_model_cache_refresh      (KoersCaseloadModel *self,
                                                    GArray             *ids,
                                                    GPtrArray          *rows);

/* koers-caseload-model.c: property changes, for -fill.c */
void        koers_caseload_model_set_loading        (KoersCaseloadModel *self,
                                                    gboolean            loading);
void        koers_caseload_model_set_n_matches      (KoersCaseloadModel *self,
                                                    guint               n_matches);
void        koers_caseload_model_notify_n_items     (KoersCaseloadModel *self);

/* koers-caseload-model-fill.c: a list shown in steps, and a held model's count. */
/* Whether a new list that keeps the first @prefix rows and has @new_len should be shown in
 * steps rather than at once. */
gboolean    koers_caseload_model_fill_wanted        (KoersCaseloadModel *self,
                                                    guint               prefix,
                                                    guint               new_len);
/* Shows @rowids in place of the rows after @prefix (which @rowids shares), a step a frame. */
void        koers_caseload_model_fill_start         (KoersCaseloadModel *self,
                                                    GArray             *rowids,
                                                    guint               prefix);
/* Stops showing a list in steps where it is (a newer list replaces it). */
void        koers_caseload_model_fill_stop          (KoersCaseloadModel *self);
/* A held model's count: @first, the first rows, shown only while the model has none. */
void        koers_caseload_model_apply_count        (KoersCaseloadModel *self,
                                                    GArray             *first,
                                                    guint               n_matches);

G_END_DECLS
