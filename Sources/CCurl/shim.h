#ifndef PEFT_CCURL_SHIM_H
#define PEFT_CCURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

// curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt and curl_share_setopt
// are variadic, which Swift cannot call. These typed, non-variadic wrappers
// cover each argument type libcurl documents. LONG options always take `long`.
// See https://curl.se/libcurl/c/curl_easy_setopt.html

static inline CURLcode peft_curl_easy_setopt_long(CURL *h, CURLoption opt, long v) {
    return curl_easy_setopt(h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_string(CURL *h, CURLoption opt, const char *v) {
    return curl_easy_setopt(h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_pointer(CURL *h, CURLoption opt, void *v) {
    return curl_easy_setopt(h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_off_t(CURL *h, CURLoption opt, curl_off_t v) {
    return curl_easy_setopt(h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v) {
    return curl_easy_setopt(h, opt, v);
}
static inline CURLcode peft_curl_easy_setopt_share(CURL *h, CURLSH *share) {
    return curl_easy_setopt(h, CURLOPT_SHARE, share);
}

typedef size_t (*peft_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode peft_curl_easy_setopt_write_function(CURL *h, CURLoption opt, peft_curl_write_callback fn) {
    return curl_easy_setopt(h, opt, fn);
}

typedef int (*peft_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode peft_curl_easy_setopt_xferinfo_function(CURL *h, peft_curl_xferinfo_callback fn) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fn);
}

static inline CURLcode peft_curl_easy_getinfo_long(CURL *h, CURLINFO info, long *out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_double(CURL *h, CURLINFO info, double *out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_off_t(CURL *h, CURLINFO info, curl_off_t *out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_string(CURL *h, CURLINFO info, char **out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode peft_curl_easy_getinfo_pointer(CURL *h, CURLINFO info, void **out) {
    return curl_easy_getinfo(h, info, out);
}

static inline CURLMcode peft_curl_multi_setopt_long(CURLM *m, CURLMoption opt, long v) {
    return curl_multi_setopt(m, opt, v);
}
static inline CURLMcode peft_curl_multi_setopt_pointer(CURLM *m, CURLMoption opt, void *v) {
    return curl_multi_setopt(m, opt, v);
}

static inline CURLSHcode peft_curl_share_setopt_long(CURLSH *s, CURLSHoption opt, long v) {
    return curl_share_setopt(s, opt, v);
}

// Added for the HTTP pool and bench (issue 4).
// CURLOPT_PREREQFUNCTION (7.80+): called once the connection is ready, before
// the request is sent; the pool takes the end of the connection-slot wait here.
static inline CURLcode peft_curl_easy_setopt_prereq_function(CURL *h, curl_prereq_callback fn) {
    return curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, fn);
}
// CURLSHOPT_LOCKFUNC / UNLOCKFUNC / USERDATA: a share handle used from several
// threads must be given lock functions (https://curl.se/libcurl/c/CURLSHOPT_LOCKFUNC.html).
static inline CURLSHcode peft_curl_share_setopt_lock_functions(CURLSH *s, curl_lock_function lock,
                                                               curl_unlock_function unlock, void *userdata) {
    CURLSHcode rc = curl_share_setopt(s, CURLSHOPT_LOCKFUNC, lock);
    if (rc != CURLSHE_OK) return rc;
    rc = curl_share_setopt(s, CURLSHOPT_UNLOCKFUNC, unlock);
    if (rc != CURLSHE_OK) return rc;
    return curl_share_setopt(s, CURLSHOPT_USERDATA, userdata);
}

#endif
