from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OTPCodeForm(forms.Form):
    """The 6-digit code from an authenticator app (spaces, as some apps show them, allowed)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits; a new code appears every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Enter the six digits your app shows, e.g. 123456."))
        return code


class LoginCodeForm(forms.Form):
    """The second login step: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        help_text=_(
            "Six digits; a new code appears every 30 seconds. Lost your phone? Enter one of your "
            "recovery codes (8 characters): each works once."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "size": 10,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        if len(code) == 6 and code.isascii() and code.isdigit():
            return code
        if len(code) == 8 and code.isascii() and code.isalnum():
            return code
        raise forms.ValidationError(
            _("Enter the six digits your app shows (e.g. 123456), or a recovery code.")
        )


class EnrolmentCodeForm(forms.Form):
    """The one-time enrolment code an administrator gave the user."""

    enrolment_code = forms.CharField(
        label=_("Enrolment code"),
        help_text=_("The code your administrator gave you, e.g. ABCD-EFGH-JKLM."),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "size": 16, "spellcheck": "false"}
        ),
    )
