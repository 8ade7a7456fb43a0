module clocale.licensedesk.io/localefix

go 1.25.0
