"""The directory in HSDS 3 JSON (Open Referral): the documents are the export's, so they are
described here as free objects (their schema is HSDS's, not Tandem's); a change names the
fields of a service that the directory's own form changes."""

from __future__ import annotations

from rest_framework import serializers

from tandem.common.models import LifeDomain
from tandem.network.models import Service, ServiceStatus

# Text without NUL characters (refused by every text field), stated so the schema says it.
NO_NUL = r"^[^\x00]*$"


def _field(name: str) -> serializers.CharField:
    model_field = Service._meta.get_field(name)
    return serializers.RegexField(
        NO_NUL,
        required=False,
        allow_blank=name != "name",
        max_length=getattr(model_field, "max_length", None),
    )


class HsdsDirectory(serializers.Serializer):
    organizations = serializers.ListField(child=serializers.DictField())
    services = serializers.ListField(child=serializers.DictField())
    locations = serializers.ListField(child=serializers.DictField())
    service_at_locations = serializers.ListField(child=serializers.DictField())
    taxonomies = serializers.ListField(child=serializers.DictField())
    taxonomy_terms = serializers.ListField(child=serializers.DictField())


class ServiceChange(serializers.Serializer):
    name = _field("name")
    alternate_name = _field("alternate_name")
    description = _field("description")
    # A web address as the model's URLValidator takes it (http or https, a dotted host name),
    # stated as a pattern so that the schema says what is accepted.
    url = serializers.RegexField(
        r"^https?://([a-z0-9]{1,30}\.){1,3}[a-z]{2,12}(:[0-9]{2,5})?(/[^\s]{0,60})?$",
        required=False,
        allow_blank=True,
        max_length=200,
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, required=False)
    eligibility_description = _field("eligibility_description")
    application_process = _field("application_process")
    wait_time = _field("wait_time")
    life_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeDomain.choices), required=False
    )
