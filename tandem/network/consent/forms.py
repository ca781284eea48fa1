"""Forms of the consent pages. The rules (one recipient, a witness for verbal consent, no date
in the future) live in ``services.consent_give``; the view puts its errors on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Organisation, OrganisationKind
from tandem.common.dates import EventDateField
from tandem.common.models import LifeDomain

from ..models import Evidence

# Kinds a consent can name as its recipient: the partners, not employers.
RECIPIENT_KINDS = [(k.value, k.label) for k in OrganisationKind if k != OrganisationKind.EMPLOYER]


class ConsentForm(forms.Form):
    recipient_organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("One organisation, for example OCMW Gent."),
    )
    recipient_kind = forms.ChoiceField(
        label=_("Or every organisation of this kind"),
        choices=[("", "—"), *RECIPIENT_KINDS],
        required=False,
        help_text=_("Leave empty when you chose one organisation."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Life domains the recipient may see"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one life domain.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What the recipient needs the data for, in the person's words."),
    )
    evidence = forms.ChoiceField(
        label=_("How the person gave consent"),
        choices=Evidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person gave consent.")},
    )
    witness = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_("Name and organisation of the witness. Needed for verbal consent."),
    )
    given_on = EventDateField(label=_("Given on"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient_organisation"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = organisations
        self.fields["purpose"].initial = _("guidance in the work-welfare trajectory")
        self.fields["given_on"].initial = timezone.localdate()
