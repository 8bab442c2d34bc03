#ifndef PEFT_CCURL_SHIM_H
#define PEFT_CCURL_SHIM_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

// libcurl, loaded on first use.
//
// Linking libcurl makes every start of peft-perf load it and the ~35 shared
// libraries it depends on (OpenSSL, GnuTLS, LDAP, Kerberos, ...): about 5 ms
// and 6 MB of resident memory, even for `--version` or `system`, which never
// touch the network. So this module does not link libcurl; the first HTTP call
// loads the system's libcurl4 (from libcurl4-openssl-dev's runtime package)
// with dlopen and resolves the functions peft-perf uses into one table.
// Commands that never send a request never load it.
//
// Every wrapper checks that the table is loaded and otherwise returns curl's
// own failure value (NULL, CURLE_FAILED_INIT, ...), so a missing libcurl is an
// error the caller reports, never a call through a null pointer.
// `peft_curl_load_error()` says why loading failed.
//
// curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt and curl_share_setopt
// are variadic, which Swift cannot call: the typed wrappers below cover each
// argument type libcurl documents. LONG options always take `long`.
// See https://curl.se/libcurl/c/curl_easy_setopt.html

typedef struct peft_curl_api {
    int loaded;
    char error[256];
    CURLcode (*global_init)(long flags);
    char * (*version)(void);
    CURL * (*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    const char * (*easy_strerror)(CURLcode code);
    CURLM * (*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *m);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_perform)(CURLM *m, int *running);
    CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd *fds, unsigned int nfds, int timeout_ms, int *numfds);
    CURLMcode (*multi_wakeup)(CURLM *m);
    CURLMsg * (*multi_info_read)(CURLM *m, int *queued);
    const char * (*multi_strerror)(CURLMcode code);
    CURLSH * (*share_init)(void);
    CURLSHcode (*share_cleanup)(CURLSH *s);
    const char * (*share_strerror)(CURLSHcode code);
    struct curl_slist * (*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
    CURLU * (*url)(void);
    void (*url_cleanup)(CURLU *u);
    CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *content, unsigned int flags);
    CURLUcode (*url_get)(CURLU *u, CURLUPart part, char **content, unsigned int flags);
    const char * (*url_strerror)(CURLUcode code);
    void (*free)(void *p);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
} peft_curl_api;

// Storage lives in function-local statics: Swift's importer emits the code of
// static inline functions, but not file-scope static variables of a header.
static inline peft_curl_api *peft_curl_api_storage(void) {
    static peft_curl_api table;
    return &table;
}

static inline void peft_curl_api_load(void) {
    peft_curl_api *t = peft_curl_api_storage();
    static const char *const names[] = {
#if defined(__APPLE__)
        "libcurl.4.dylib", "libcurl.dylib",
#else
        "libcurl.so.4", "libcurl.so",
#endif
    };
    void *handle = NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && handle == NULL; i++) {
        // RTLD_LOCAL: libcurl's symbols stay out of the global namespace.
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(t->error, sizeof(t->error), "cannot load libcurl (install libcurl4): %s", why ? why : "not found");
        return;
    }
#define PEFT_CURL_RESOLVE(field, symbol)                                                         \
    do {                                                                                         \
        *(void **)(&t->field) = dlsym(handle, symbol);                                           \
        if (t->field == NULL) {                                                                  \
            snprintf(t->error, sizeof(t->error), "libcurl lacks %s (7.80 or newer needed)", symbol); \
            return;                                                                              \
        }                                                                                        \
    } while (0)
    PEFT_CURL_RESOLVE(global_init, "curl_global_init");
    PEFT_CURL_RESOLVE(version, "curl_version");
    PEFT_CURL_RESOLVE(easy_init, "curl_easy_init");
    PEFT_CURL_RESOLVE(easy_cleanup, "curl_easy_cleanup");
    PEFT_CURL_RESOLVE(easy_strerror, "curl_easy_strerror");
    PEFT_CURL_RESOLVE(multi_init, "curl_multi_init");
    PEFT_CURL_RESOLVE(multi_cleanup, "curl_multi_cleanup");
    PEFT_CURL_RESOLVE(multi_add_handle, "curl_multi_add_handle");
    PEFT_CURL_RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    PEFT_CURL_RESOLVE(multi_perform, "curl_multi_perform");
    PEFT_CURL_RESOLVE(multi_poll, "curl_multi_poll");
    PEFT_CURL_RESOLVE(multi_wakeup, "curl_multi_wakeup");
    PEFT_CURL_RESOLVE(multi_info_read, "curl_multi_info_read");
    PEFT_CURL_RESOLVE(multi_strerror, "curl_multi_strerror");
    PEFT_CURL_RESOLVE(share_init, "curl_share_init");
    PEFT_CURL_RESOLVE(share_cleanup, "curl_share_cleanup");
    PEFT_CURL_RESOLVE(share_strerror, "curl_share_strerror");
    PEFT_CURL_RESOLVE(slist_append, "curl_slist_append");
    PEFT_CURL_RESOLVE(slist_free_all, "curl_slist_free_all");
    PEFT_CURL_RESOLVE(url, "curl_url");
    PEFT_CURL_RESOLVE(url_cleanup, "curl_url_cleanup");
    PEFT_CURL_RESOLVE(url_set, "curl_url_set");
    PEFT_CURL_RESOLVE(url_get, "curl_url_get");
    PEFT_CURL_RESOLVE(url_strerror, "curl_url_strerror");
    PEFT_CURL_RESOLVE(free, "curl_free");
    PEFT_CURL_RESOLVE(easy_setopt, "curl_easy_setopt");
    PEFT_CURL_RESOLVE(easy_getinfo, "curl_easy_getinfo");
    PEFT_CURL_RESOLVE(multi_setopt, "curl_multi_setopt");
    PEFT_CURL_RESOLVE(share_setopt, "curl_share_setopt");
#undef PEFT_CURL_RESOLVE
    t->loaded = 1;
}

/// The loaded table, loading it on the first call. Thread-safe.
static inline const peft_curl_api *peft_curl_api_get(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, peft_curl_api_load);
    return peft_curl_api_storage();
}

/// Whether libcurl could be loaded.
static inline int peft_curl_is_loaded(void) {
    return peft_curl_api_get()->loaded;
}

/// Why libcurl could not be loaded; empty when it was.
static inline const char *peft_curl_load_error(void) {
    return peft_curl_api_get()->error;
}

static inline CURLcode peft_curl_global_init(long flags) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->global_init(flags) : CURLE_FAILED_INIT;
}
static inline char * peft_curl_version(void) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->version() : NULL;
}
static inline CURL * peft_curl_easy_init(void) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->easy_init() : NULL;
}
static inline void peft_curl_easy_cleanup(CURL *h) {
    const peft_curl_api *t = peft_curl_api_get();
    if (t->loaded) t->easy_cleanup(h);
}
static inline const char * peft_curl_easy_strerror(CURLcode code) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->easy_strerror(code) : "libcurl could not be loaded";
}
static inline CURLM * peft_curl_multi_init(void) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_init() : NULL;
}
static inline CURLMcode peft_curl_multi_cleanup(CURLM *m) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_cleanup(m) : CURLM_INTERNAL_ERROR;
}
static inline CURLMcode peft_curl_multi_add_handle(CURLM *m, CURL *h) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_add_handle(m, h) : CURLM_INTERNAL_ERROR;
}
static inline CURLMcode peft_curl_multi_remove_handle(CURLM *m, CURL *h) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_remove_handle(m, h) : CURLM_INTERNAL_ERROR;
}
static inline CURLMcode peft_curl_multi_perform(CURLM *m, int *running) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_perform(m, running) : CURLM_INTERNAL_ERROR;
}
static inline CURLMcode peft_curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned int nfds, int timeout_ms, int *numfds) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_poll(m, fds, nfds, timeout_ms, numfds) : CURLM_INTERNAL_ERROR;
}
static inline CURLMcode peft_curl_multi_wakeup(CURLM *m) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_wakeup(m) : CURLM_INTERNAL_ERROR;
}
static inline CURLMsg * peft_curl_multi_info_read(CURLM *m, int *queued) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_info_read(m, queued) : NULL;
}
static inline const char * peft_curl_multi_strerror(CURLMcode code) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->multi_strerror(code) : "libcurl could not be loaded";
}
static inline CURLSH * peft_curl_share_init(void) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->share_init() : NULL;
}
static inline CURLSHcode peft_curl_share_cleanup(CURLSH *s) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->share_cleanup(s) : CURLSHE_NOT_BUILT_IN;
}
static inline const char * peft_curl_share_strerror(CURLSHcode code) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->share_strerror(code) : "libcurl could not be loaded";
}
static inline struct curl_slist * peft_curl_slist_append(struct curl_slist *list, const char *text) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->slist_append(list, text) : NULL;
}
static inline void peft_curl_slist_free_all(struct curl_slist *list) {
    const peft_curl_api *t = peft_curl_api_get();
    if (t->loaded) t->slist_free_all(list);
}
static inline CURLU * peft_curl_url(void) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->url() : NULL;
}
static inline void peft_curl_url_cleanup(CURLU *u) {
    const peft_curl_api *t = peft_curl_api_get();
    if (t->loaded) t->url_cleanup(u);
}
static inline CURLUcode peft_curl_url_set(CURLU *u, CURLUPart part, const char *content, unsigned int flags) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->url_set(u, part, content, flags) : CURLUE_OUT_OF_MEMORY;
}
static inline CURLUcode peft_curl_url_get(CURLU *u, CURLUPart part, char **content, unsigned int flags) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->url_get(u, part, content, flags) : CURLUE_OUT_OF_MEMORY;
}
static inline const char * peft_curl_url_strerror(CURLUcode code) {
    const peft_curl_api *t = peft_curl_api_get();
    return t->loaded ? t->url_strerror(code) : "libcurl could not be loaded";
}
static inline void peft_curl_free(void *p) {
    const peft_curl_api *t = peft_curl_api_get();
    if (t->loaded) t->free(p);
}

// Typed wrappers for the variadic functions.
#define PEFT_CURL_VARIADIC(field, fail, ...)                  \
    const peft_curl_api *t = peft_curl_api_get();             \
    return t->loaded ? t->field(__VA_ARGS__) : (fail)

static inline CURLcode peft_curl_easy_setopt_long(CURL *h, CURLoption opt, long v) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_string(CURL *h, CURLoption opt, const char *v) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_pointer(CURL *h, CURLoption opt, void *v) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_off_t(CURL *h, CURLoption opt, curl_off_t v) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_share(CURL *h, CURLSH *share) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, CURLOPT_SHARE, share);
}

typedef size_t (*peft_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode peft_curl_easy_setopt_write_function(CURL *h, CURLoption opt, peft_curl_write_callback fn) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, opt, fn);
}

typedef int (*peft_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode peft_curl_easy_setopt_xferinfo_function(CURL *h, peft_curl_xferinfo_callback fn) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, CURLOPT_XFERINFOFUNCTION, fn);
}

// CURLOPT_PREREQFUNCTION (7.80+): called once the connection is ready, before
// the request is sent; the pool takes the end of the connection-slot wait here.
static inline CURLcode peft_curl_easy_setopt_prereq_function(CURL *h, curl_prereq_callback fn) {
    PEFT_CURL_VARIADIC(easy_setopt, CURLE_FAILED_INIT, h, CURLOPT_PREREQFUNCTION, fn);
}

static inline CURLcode peft_curl_easy_getinfo_long(CURL *h, CURLINFO info, long *out) {
    PEFT_CURL_VARIADIC(easy_getinfo, CURLE_FAILED_INIT, h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_double(CURL *h, CURLINFO info, double *out) {
    PEFT_CURL_VARIADIC(easy_getinfo, CURLE_FAILED_INIT, h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_off_t(CURL *h, CURLINFO info, curl_off_t *out) {
    PEFT_CURL_VARIADIC(easy_getinfo, CURLE_FAILED_INIT, h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_string(CURL *h, CURLINFO info, char **out) {
    PEFT_CURL_VARIADIC(easy_getinfo, CURLE_FAILED_INIT, h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_pointer(CURL *h, CURLINFO info, void **out) {
    PEFT_CURL_VARIADIC(easy_getinfo, CURLE_FAILED_INIT, h, info, out);
}

static inline CURLMcode peft_curl_multi_setopt_long(CURLM *m, CURLMoption opt, long v) {
    PEFT_CURL_VARIADIC(multi_setopt, CURLM_INTERNAL_ERROR, m, opt, v);
}
static inline CURLMcode peft_curl_multi_setopt_pointer(CURLM *m, CURLMoption opt, void *v) {
    PEFT_CURL_VARIADIC(multi_setopt, CURLM_INTERNAL_ERROR, m, opt, v);
}

static inline CURLSHcode peft_curl_share_setopt_long(CURLSH *s, CURLSHoption opt, long v) {
    PEFT_CURL_VARIADIC(share_setopt, CURLSHE_NOT_BUILT_IN, s, opt, v);
}
// CURLSHOPT_LOCKFUNC / UNLOCKFUNC / USERDATA: a share handle used from several
// threads must be given lock functions (https://curl.se/libcurl/c/CURLSHOPT_LOCKFUNC.html).
static inline CURLSHcode peft_curl_share_setopt_lock_functions(CURLSH *s, curl_lock_function lock,
                                                               curl_unlock_function unlock, void *userdata) {
    const peft_curl_api *t = peft_curl_api_get();
    if (!t->loaded) return CURLSHE_NOT_BUILT_IN;
    CURLSHcode rc = t->share_setopt(s, CURLSHOPT_LOCKFUNC, lock);
    if (rc != CURLSHE_OK) return rc;
    rc = t->share_setopt(s, CURLSHOPT_UNLOCKFUNC, unlock);
    if (rc != CURLSHE_OK) return rc;
    return t->share_setopt(s, CURLSHOPT_USERDATA, userdata);
}

#undef PEFT_CURL_VARIADIC

#endif
