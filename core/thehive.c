/*
 * thehive.c: HTTP requests to TheHive over libcurl's multi interface.
 *
 * Each running request has its own easy handle, taken from a pool of
 * finished ones.  The multi handle keeps the connections, so consecutive
 * requests reuse them (keep-alive) and at most target->parallel run at
 * once.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "mem.h"
#include "thehive.h"

struct irc_hive {
	const struct irc_hive_target *target;
	CURLM *multi;
	struct curl_slist *headers;
	enum irc_hive_version version;
	int running;
	CURL *idle[IRC_HIVE_PARALLEL_MAX];	/* finished easy handles */
	int nidle;
};

struct req_priv {
	CURL *easy;
	int sends;		/* times libcurl was about to send the request */
	bool resend_refused;	/* on_prereq stopped a resend */
	char *url;
	char *payload;
	char curl_error[CURL_ERROR_SIZE];
	size_t cap;
	bool too_big;		/* the reply passed IRC_HIVE_REPLY_MAX */
};

void
irc_hive_trace(const char *fmt, ...)
{
	const char *path = getenv("IRCASE_TRACE");
	va_list ap;
	FILE *fp;

	if (path == NULL || *path == '\0' || (fp = fopen(path, "a")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fclose(fp);
}

struct irc_hive *
irc_hive_new(const struct irc_hive_target *target)
{
	static int curl_ready;
	struct irc_hive *hive = irc_xcalloc(1, sizeof *hive);
	char *line;

	if (!curl_ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = 1;
	}
	hive->target = target;
	hive->multi = curl_multi_init();
	if (hive->multi == NULL)
		abort();
	curl_multi_setopt(hive->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)target->parallel);
	curl_multi_setopt(hive->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)target->parallel);
	curl_multi_setopt(hive->multi, CURLMOPT_MAXCONNECTS,
	    (long)target->parallel);

	line = irc_xasprintf("Authorization: Bearer %s",
	    target->key != NULL ? target->key : "");
	hive->headers = curl_slist_append(NULL, line);
	memset(line, 0, strlen(line));
	free(line);
	if (target->org != NULL) {
		line = irc_xasprintf("X-Organisation: %s", target->org);
		hive->headers = curl_slist_append(hive->headers, line);
		free(line);
	}
	hive->headers = curl_slist_append(hive->headers,
	    "Accept: application/json");
	hive->headers = curl_slist_append(hive->headers,
	    "Content-Type: application/json");
	/* No "Expect: 100-continue" wait before large bodies. */
	hive->headers = curl_slist_append(hive->headers, "Expect:");
	if (hive->headers == NULL)
		abort();
	return hive;
}

void
irc_hive_free(struct irc_hive *hive)
{
	if (hive == NULL)
		return;
	while (hive->nidle > 0)
		curl_easy_cleanup(hive->idle[--hive->nidle]);
	curl_multi_cleanup(hive->multi);
	curl_slist_free_all(hive->headers);
	free(hive);
}

void
irc_hive_set_version(struct irc_hive *hive, enum irc_hive_version v)
{
	hive->version = v;
}

enum irc_hive_version
irc_hive_version(const struct irc_hive *hive)
{
	return hive->version;
}

int
irc_hive_tlp(const struct irc_hive *hive, const char *level)
{
	bool new_scale = hive->version == IRC_HIVE_5_2;

	if (level == NULL)
		return 2;
	if (strcasecmp(level, "clear") == 0 || strcasecmp(level, "white") == 0)
		return 0;
	if (strcasecmp(level, "green") == 0)
		return 1;
	if (strcasecmp(level, "amber+strict") == 0)
		/*
		 * Before 5.2 there is no AMBER+STRICT; RED is the nearest level
		 * that does not share more widely than the sender allowed.
		 */
		return 3;
	if (strcasecmp(level, "red") == 0)
		return new_scale ? 4 : 3;
	return 2;
}

struct irc_hive_req *
irc_hive_req_new(const char *method, json_t *body, const char *fmt, ...)
{
	struct irc_hive_req *req = irc_xcalloc(1, sizeof *req);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	req->path = irc_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(req->path, (size_t)n + 1, fmt, ap);
	va_end(ap);
	req->method = method;
	req->body = body;
	req->retry_after = -1;
	req->once = strcmp(method, "POST") == 0 &&
	    strcmp(req->path, "/api/v1/query") != 0;
	return req;
}

static void
req_reset_result(struct irc_hive_req *req)
{
	json_decref(req->reply);
	req->reply = NULL;
	free(req->text);
	req->text = NULL;
	req->text_len = 0;
	req->done = false;
	req->status = 0;
	req->retry_after = -1;
	req->transport_error = false;
	req->timed_out = false;
	req->unusable = false;
	req->error[0] = '\0';
}

void
irc_hive_req_free(struct irc_hive_req *req)
{
	if (req == NULL)
		return;
	req_reset_result(req);
	json_decref(req->body);
	free(req->path);
	free(req);
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct irc_hive_req *req = user;
	struct req_priv *p = req->priv;
	size_t n = size * nmemb;

	if (req->text_len + n > (size_t)IRC_HIVE_REPLY_MAX) {
		/* Returning less than n makes libcurl stop the transfer. */
		p->too_big = true;
		return 0;
	}
	if (req->text_len + n + 1 > p->cap) {
		p->cap = (req->text_len + n + 1) * 2;
		req->text = irc_xrealloc(req->text, p->cap, 1);
	}
	memcpy(req->text + req->text_len, data, n);
	req->text_len += n;
	req->text[req->text_len] = '\0';
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct irc_hive_req *req = user;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";
	char value[32];
	size_t len;
	char *end;
	long v;

	if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
		len = n - (sizeof name - 1);
		if (len >= sizeof value)
			len = sizeof value - 1;
		memcpy(value, data + sizeof name - 1, len);
		value[len] = '\0';
		v = strtol(value, &end, 10);
		/* NOTE: an HTTP-date Retry-After is ignored; seconds only. */
		if (end != value && v >= 0 && v <= 3600)
			req->retry_after = v;
	}
	return n;
}

/*
 * Stops libcurl from sending a create twice.  libcurl 7.88 resends a
 * request on a fresh connection when a reused one closed before any byte
 * of the answer came (Curl_retry_request in lib/transfer.c, "Connection
 * died, retrying a fresh connect", up to 5 times), but the server may have
 * stored the object already.  A second call for a request marked once
 * aborts it (CURLE_ABORTED_BY_CALLBACK), so the outcome is unknown and the
 * sync engine looks for the object's marker before creating it again.
 * 7.88 has no option for this: CURLOPT_FORBID_RETRY_ON_REUSE is newer
 * (curl pull request 18417), and CURLOPT_FRESH_CONNECT on every create
 * would cost a TCP and TLS handshake per object.
 */
static int
on_prereq(void *user, char *primary_ip, char *local_ip, int primary_port,
    int local_port)
{
	struct irc_hive_req *req = user;
	struct req_priv *p = req->priv;

	if (++p->sends > 1 && req->once) {
		p->resend_refused = true;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

void
irc_hive_start(struct irc_hive *hive, struct irc_hive_req *req)
{
	const struct irc_hive_target *t = hive->target;
	struct req_priv *p = irc_xcalloc(1, sizeof *p);
	CURL *e;

	/*
	 * curl_easy_reset() sets every option back to its default, as in a
	 * new handle, without the allocations of curl_easy_init().
	 */
	if (hive->nidle > 0) {
		e = hive->idle[--hive->nidle];
		curl_easy_reset(e);
	} else if ((e = curl_easy_init()) == NULL)
		abort();
	req_reset_result(req);
	req->priv = p;
	p->easy = e;
	p->url = irc_xasprintf("%s%s", t->url, req->path);
	curl_easy_setopt(e, CURLOPT_URL, p->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hive->headers);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, t->timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t->connect_timeout);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->curl_error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, req);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(e, CURLOPT_PREREQDATA, req);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ircase/" IRC_VERSION);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t->insecure ? 0L : 2L);
	if (t->ca != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, t->ca);
	if (req->body != NULL) {
		/* Integers stay integers: jansson writes json_integer as such. */
		p->payload = json_dumps(req->body, JSON_COMPACT);
		if (p->payload == NULL)
			abort();
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, p->payload);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(p->payload));
	} else if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_multi_add_handle(hive->multi, e);
	hive->running++;
}

/* Copies the first line of text that is not blank, without HTML tags. */
static void
first_text_line(const char *text, char *out, size_t size)
{
	size_t n = 0;
	bool in_tag = false;

	out[0] = '\0';
	if (text == NULL)
		return;
	for (const char *s = text; *s != '\0' && n + 1 < size; s++) {
		if (*s == '<') {
			in_tag = true;
			continue;
		}
		if (*s == '>' && in_tag) {
			in_tag = false;
			continue;
		}
		if (in_tag)
			continue;
		if (*s == '\n' || *s == '\r') {
			if (n > 0)
				break;
			continue;
		}
		if (n == 0 && isspace((unsigned char)*s))
			continue;
		out[n++] = *s;
	}
	out[n] = '\0';
}

/* Fills req->error from the reply of a request that did not succeed. */
static void
describe_failure(struct irc_hive_req *req, const json_error_t *jerr)
{
	const char *type = NULL, *message = NULL;
	char line[160];

	if (req->status >= 200 && req->status < 300) {
		/*
		 * A reply that is not JSON is an error too, so the caller can
		 * name the request; an empty body is a create's or a PATCH's
		 * 204 and is judged by irc_hive_req_created().
		 */
		if (req->reply == NULL && req->text_len > 0)
			snprintf(req->error, sizeof req->error, "%s %s: HTTP %ld "
			    "with a body that is not JSON (%s at byte %d)",
			    req->method, req->path, req->status, jerr->text,
			    jerr->position);
		return;
	}
	if (json_is_object(req->reply)) {
		type = json_string_value(json_object_get(req->reply, "type"));
		message = json_string_value(json_object_get(req->reply,
		    "message"));
	}
	if (type != NULL || message != NULL) {
		snprintf(req->error, sizeof req->error, "%s %s: HTTP %ld %s: %.300s",
		    req->method, req->path, req->status, type ? type : "error",
		    message ? message : "");
		return;
	}
	first_text_line(req->text, line, sizeof line);
	snprintf(req->error, sizeof req->error, "%s %s: HTTP %ld with %s%s%s",
	    req->method, req->path, req->status,
	    req->text_len == 0 ? "an empty body" : "a body that is not JSON",
	    line[0] != '\0' ? ": " : "", line);
}

static void
req_finish(struct irc_hive *hive, struct irc_hive_req *req, CURLcode rc)
{
	struct req_priv *p = req->priv;
	json_error_t jerr;

	req->done = true;
	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &req->status);
	if (rc != CURLE_OK) {
		req->transport_error = true;
		req->status = 0;
		req->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		if (p->too_big)
			snprintf(req->error, sizeof req->error, "%s %s: reply "
			    "larger than %ld bytes", req->method, req->path,
			    IRC_HIVE_REPLY_MAX);
		else if (p->resend_refused)
			snprintf(req->error, sizeof req->error, "%s %s: the "
			    "connection closed before any answer; TheHive may "
			    "have stored it", req->method, req->path);
		else
			snprintf(req->error, sizeof req->error, "%s %s: %s",
			    req->method, req->path, p->curl_error[0] ?
			    p->curl_error : curl_easy_strerror(rc));
	} else {
		/*
		 * JSON_ALLOW_NUL: TheHive stores "\u0000" in a log text as it
		 * came; without the flag the whole reply is rejected.  Readers
		 * of strings that may hold one use json_string_length().
		 */
		memset(&jerr, 0, sizeof jerr);
		if (req->text_len > 0)
			req->reply = json_loadb(req->text, req->text_len,
			    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		describe_failure(req, &jerr);
	}
	irc_hive_trace("%s %s -> %ld (%zu bytes%s%s)", req->method, req->path,
	    req->status, req->text_len, rc != CURLE_OK ? ", " : "",
	    rc != CURLE_OK ? curl_easy_strerror(rc) : "");
	curl_multi_remove_handle(hive->multi, p->easy);
	if (hive->nidle < IRC_HIVE_PARALLEL_MAX)
		hive->idle[hive->nidle++] = p->easy;
	else
		curl_easy_cleanup(p->easy);
	free(p->url);
	free(p->payload);
	free(p);
	req->priv = NULL;
	hive->running--;
}

struct irc_hive_req *
irc_hive_perform(struct irc_hive *hive, int timeout_ms, int *running)
{
	struct irc_hive_req *done = NULL, **tail = &done, *req;
	CURLMsg *msg;
	int still = 0, left;

	curl_multi_perform(hive->multi, &still);
	if (still > 0 && timeout_ms > 0) {
		curl_multi_poll(hive->multi, NULL, 0, timeout_ms, NULL);
		curl_multi_perform(hive->multi, &still);
	}
	while ((msg = curl_multi_info_read(hive->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &req);
		req_finish(hive, req, msg->data.result);
		req->next = NULL;
		*tail = req;
		tail = &req->next;
	}
	*running = hive->running;
	return done;
}

struct irc_hive_req *
irc_hive_send(struct irc_hive *hive, struct irc_hive_req *req)
{
	int running;

	irc_hive_start(hive, req);
	while (!req->done)
		irc_hive_perform(hive, 100, &running);
	return req;
}

const char *
irc_hive_req_created(struct irc_hive_req *req)
{
	json_t *obj = req->reply;
	const char *id, *what;
	char line[160];

	if (req->status < 200 || req->status >= 300)
		return NULL;
	if (json_is_object(obj) && json_is_array(json_object_get(obj,
	    "success")))
		obj = json_object_get(obj, "success");
	if (json_is_array(obj))
		obj = json_array_get(obj, 0);
	id = json_string_value(json_object_get(obj, "_id"));
	if (id == NULL)
		id = json_string_value(json_object_get(obj, "id"));
	if (id != NULL && *id != '\0')
		return id;
	req->unusable = true;
	if (req->text_len == 0)
		what = "an empty body";
	else if (req->reply == NULL)
		what = "a body that is not JSON";
	else
		what = "a reply without the new object's id";
	first_text_line(req->reply == NULL ? req->text : NULL, line,
	    sizeof line);
	snprintf(req->error, sizeof req->error, "%s %s: HTTP %ld with %s%s%s; "
	    "TheHive may have stored it", req->method, req->path, req->status,
	    what, line[0] != '\0' ? ": " : "", line);
	return NULL;
}

bool
irc_hive_req_uncertain(const struct irc_hive_req *req)
{
	return req->transport_error || req->status >= 500 || req->unusable;
}

bool
irc_hive_req_retryable(const struct irc_hive_req *req)
{
	return req->transport_error || req->unusable || req->status == 408 ||
	    req->status == 429 || req->status >= 500;
}

bool
irc_hive_req_exists(const struct irc_hive_req *req)
{
	const char *message;

	if (req->status != 400 || !json_is_object(req->reply))
		return false;
	message = json_string_value(json_object_get(req->reply, "message"));
	/* TheHive 4 and 5 write "already exist" and "already exists". */
	return message != NULL && strstr(message, "already exist") != NULL;
}

/* Reads "5.2.16-1" as major and minor numbers. */
static enum irc_hive_version
version_parse(const char *text)
{
	long major, minor = 0;
	char *end;

	if (text == NULL)
		return IRC_HIVE_UNKNOWN;
	major = strtol(text, &end, 10);
	if (*end == '.')
		minor = strtol(end + 1, NULL, 10);
	if (major == 4)
		return IRC_HIVE_4;
	if (major == 5 && minor < 2)
		return IRC_HIVE_5;
	if (major >= 5)
		return IRC_HIVE_5_2;
	return IRC_HIVE_UNKNOWN;
}

static enum irc_status
detect_fail(struct irc_hive_req *req, const char *what, struct irc_error *err)
{
	enum irc_status st = irc_fail(err, IRC_ERR_IO, "%s: %s", what,
	    req->error[0] ? req->error : "unexpected reply");

	irc_hive_req_free(req);
	return st;
}

enum irc_status
irc_hive_detect(struct irc_hive *hive, enum irc_hive_version *version,
    char **version_text, char **login, struct irc_error *err)
{
	struct irc_hive_req *req;
	const char *text = NULL;

	*version_text = NULL;
	*login = NULL;
	req = irc_hive_send(hive, irc_hive_req_new("GET", NULL,
	    "/api/v1/status/public"));
	if (req->status == 200)
		text = json_string_value(json_object_get(req->reply, "version"));
	else if (req->status == 404) {
		/* TheHive 4 has no public status; its /status needs no key. */
		irc_hive_req_free(req);
		req = irc_hive_send(hive, irc_hive_req_new("GET", NULL,
		    "/api/v1/status"));
		if (req->status == 200)
			text = json_string_value(json_object_get(json_object_get(
			    req->reply, "versions"), "TheHive"));
	}
	if (text != NULL && strtol(text, NULL, 10) > 0 &&
	    strtol(text, NULL, 10) < 4) {
		snprintf(req->error, sizeof req->error, "%s %s: the server is "
		    "TheHive %.40s; ircase works with TheHive 4 and 5, not 3 or "
		    "older, so upgrade it or point IRCASE_THEHIVE_URL at a TheHive "
		    "4 or 5", req->method, req->path, text);
		return detect_fail(req, "TheHive version not supported", err);
	}
	if (text == NULL || version_parse(text) == IRC_HIVE_UNKNOWN) {
		if (req->error[0] == '\0')
			snprintf(req->error, sizeof req->error, "%s %s: no TheHive "
			    "version in the reply", req->method, req->path);
		return detect_fail(req, "cannot read the TheHive version", err);
	}
	*version = version_parse(text);
	hive->version = *version;
	*version_text = irc_xstrdup(text);
	irc_hive_req_free(req);

	req = irc_hive_send(hive, irc_hive_req_new("GET", NULL,
	    "/api/v1/user/current"));
	if (req->status != 200 || json_string_value(json_object_get(req->reply,
	    "login")) == NULL) {
		free(*version_text);
		*version_text = NULL;
		if (req->status == 401 || req->status == 403)
			return detect_fail(req, "TheHive rejected the API key or "
			    "the organisation", err);
		return detect_fail(req, "cannot read the current user", err);
	}
	*login = irc_xstrdup(json_string_value(json_object_get(req->reply,
	    "login")));
	irc_hive_req_free(req);
	return IRC_OK;
}

/* Returns the proxy variable libcurl reads for a scheme, as it does. */
static const char *
proxy_env(const char *scheme)
{
	const char *v;
	char lower[32], upper[32];

	snprintf(lower, sizeof lower, "%s_proxy", scheme);
	snprintf(upper, sizeof upper, "%s_PROXY", scheme);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if ((v = getenv(lower)) != NULL && *v)
		return v;
	/* libcurl ignores HTTP_PROXY in upper case (CGI's HTTP_ header). */
	if (strcmp(scheme, "http") != 0 && (v = getenv(upper)) != NULL && *v)
		return v;
	if ((v = getenv("all_proxy")) != NULL && *v)
		return v;
	if ((v = getenv("ALL_PROXY")) != NULL && *v)
		return v;
	return NULL;
}

void
irc_hive_proxy(const struct irc_hive_target *t, char *buf, size_t size)
{
	const char *scheme = t->url != NULL &&
	    strncasecmp(t->url, "https:", 6) == 0 ? "https" : "http";
	const char *proxy = proxy_env(scheme), *no;
	char *shown;

	no = getenv("no_proxy") ? getenv("no_proxy") : getenv("NO_PROXY");
	if (proxy == NULL) {
		snprintf(buf, size, "none");
		return;
	}
	shown = irc_hive_url_masked(proxy);
	if (no != NULL && *no != '\0')
		snprintf(buf, size, "%s (no_proxy=%s)", shown, no);
	else
		snprintf(buf, size, "%s", shown);
	free(shown);
}
