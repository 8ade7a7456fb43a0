//go:build cgo && unix && !darwin && !ios && !android

package userlocale

/*
#include <stdlib.h>
#include <string.h>

extern char **environ;

static char *licensedesk_original_locale;

// The variable that decides the message locale is the first non-empty one
// of LC_ALL, LC_MESSAGES and LANG, as gettext and Fyne's go-locale read
// them. When it names the C or POSIX locale with an encoding or modifier
// ("C.UTF-8"), which Fyne cannot parse, its value is cut to the base name
// in place: the Go runtime copies the environment from this same memory
// when it starts, after the constructors have run.
__attribute__((constructor)) static void licensedesk_quiet_locale(void) {
	static const char *const names[] = {"LC_ALL=", "LC_MESSAGES=", "LANG="};
	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
		size_t len = strlen(names[n]);
		for (char **e = environ; e != NULL && *e != NULL; e++) {
			if (strncmp(*e, names[n], len) != 0) {
				continue;
			}
			char *v = *e + len;
			if (*v == '\0') {
				break; // empty: the next variable decides
			}
			size_t base = strcspn(v, ".@");
			int cLocale = (base == 1 && v[0] == 'C') || (base == 5 && strncmp(v, "POSIX", 5) == 0);
			if (cLocale && v[base] != '\0') {
				licensedesk_original_locale = strdup(*e);
				if (licensedesk_original_locale != NULL) {
					v[base] = '\0';
				}
			}
			return;
		}
	}
}

static const char *licensedesk_locale_original(void) { return licensedesk_original_locale; }
*/
import "C"

// original is the "NAME=value" entry the constructor rewrote, or "".
func original() string {
	if p := C.licensedesk_locale_original(); p != nil {
		return C.GoString(p)
	}
	return ""
}
