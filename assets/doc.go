// Package assets embeds the files qrward ships inside its binary: the
// administrative-unit datasets (with their MIT licence), the application
// icon, and (in sub-packages) the translations.
package assets
