from django import forms
from django.utils.translation import gettext_lazy as _


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("Send me a daily e-mail with the number of unread notifications"),
        required=False,
        help_text=_("The e-mail holds only counts and a link to Tandem, never a name."),
    )
