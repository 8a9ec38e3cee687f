package ui

import (
	"errors"

	"qrward/assets/i18n"
)

// errorFor turns any error into one whose text is the translated user
// message, for Fyne's error dialog.
func errorFor(err error) error { return errors.New(i18n.Error(err)) }
