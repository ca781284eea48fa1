"""Persons and their households: who Tandem works with.

A person is owned by the organisation that registered them (the tenant) and may be assigned
to others that work with them. Persons are addressed by a random ``public_id`` in URLs: the
national number never appears in a URL, and sequential ids would let anyone count files.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.common.dates import validate_birth_date
from tandem.common.models import BaseModel, Province

from . import insz as insz_rules
from .validators import validate_insz


class Gender(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    X = "X", _("X (non-binary)")


class EducationLevel(models.TextChoices):
    """Highest completed education as ISCED bands, as ESF+ indicators report it."""

    ISCED_0_2 = "isced_0_2", _("At most lower secondary (ISCED 0–2)")
    ISCED_3_4 = "isced_3_4", _("Upper secondary or post-secondary (ISCED 3–4)")
    ISCED_5_8 = "isced_5_8", _("Higher education (ISCED 5–8)")
    UNKNOWN = "unknown", _("Unknown or foreign diploma not recognised")


class Registration(models.TextChoices):
    REGISTERED = "registered", _("Registered job seeker")
    NON_ACTIVE = "non_active", _("Not registered (non-active)")


class Benefit(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")
    LEEFLOON = "leefloon", _("Leefloon (social assistance income)")
    SICKNESS_DISABILITY = "sickness_disability", _("Sickness or disability benefit")
    NONE = "none", _("No benefit")
    OTHER = "other", _("Other")
    # Persons migrated from a legacy system (tandem.outcomes) come without it.
    UNKNOWN = "unknown", _("Unknown")


class NationalityGroup(models.TextChoices):
    BELGIAN = "belgian", _("Belgian")
    EU = "eu", _("Other EU country")
    NON_EU = "non_eu", _("Outside the EU (third country)")
    UNKNOWN = "unknown", _("Unknown")


class ForeignBackground(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")
    NOT_ASKED = "not_asked", _("Not asked")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    BERBER = "ber", _("Berber (Tamazight)")
    TURKISH = "tr", _("Turkish")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    SLOVAK = "sk", _("Slovak")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    ALBANIAN = "sq", _("Albanian")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pashto")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somali")
    OTHER = "other", _("Other language")


postal_code_validator = RegexValidator(
    r"^\d{4}$", _("A Belgian postal code has four digits, e.g. 9000.")
)


class Household(BaseModel):
    """The people who live together and share an income; indicators are computed on it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="households",
    )

    # Enforced lacks (True = cannot afford) as recorded in a conversation; absent keys were not
    # asked. Household items and the reference person's personal items (EU-SILC, 13 in all).
    deprivation = models.JSONField(
        _("material and social deprivation items"), default=dict, blank=True
    )
    # Kind & Gezin criteria (True = weak on that criterion); only meaningful with a child < 3.
    kind_en_gezin = models.JSONField(_("Kind & Gezin criteria"), default=dict, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return _("Household %(id)s") % {"id": str(self.public_id)[:8]}

    @property
    def monthly_net_income(self) -> Decimal:
        return sum((c.monthly_amount for c in self.income_components.all()), Decimal("0"))


class Person(BaseModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registering organisation"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Lower-case, accent-free "first last", kept by the services, so search finds "Özdemir"
    # when "ozdemir" is typed, on SQLite and PostgreSQL alike.
    search_key = models.CharField(max_length=201, editable=False, default="")
    # NULL, not "", when unknown: the unique constraint must allow many people without one.
    insz = models.CharField(  # noqa: DJ001
        _("national number (INSZ)"),
        max_length=11,
        null=True,
        blank=True,
        validators=[validate_insz],
        help_text=_("11 digits; dots and dashes are allowed. Leave empty if unknown."),
    )
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[postal_code_validator]
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(
        _("highest education"),
        max_length=12,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    registration = models.CharField(_("registration"), max_length=12, choices=Registration.choices)
    # "Unknown" until asked: a form must not record a benefit or nationality nobody chose.
    benefit = models.CharField(
        _("benefit"), max_length=20, choices=Benefit.choices, default=Benefit.UNKNOWN
    )
    nationality_group = models.CharField(
        _("nationality"),
        max_length=10,
        choices=NationalityGroup.choices,
        default=NationalityGroup.UNKNOWN,
    )
    # ESF+ output indicators EECO14 and EECO12 (tandem.reporting.indicators).
    foreign_background = models.CharField(
        _("foreign background"),
        max_length=10,
        choices=ForeignBackground.choices,
        default=ForeignBackground.UNKNOWN,
        help_text=_("born abroad, or a parent born abroad (ESF+ definition)"),
    )
    disability = models.CharField(
        _("disability or work limitation"),
        max_length=10,
        choices=Disability.choices,
        default=Disability.NOT_ASKED,
        help_text=_(
            "a recognised disability or work limitation — special-category data "
            "(GDPR art. 9): record only with the person's explicit consent"
        ),
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["insz"],
                condition=models.Q(insz__isnull=False),
                name="person_insz_unique",
                violation_error_message=_("A person with this national number already exists."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "last_name", "first_name"], name="person_org_name"
            ),
            models.Index(
                fields=["last_name", "first_name", "birth_date"], name="person_name_birth"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def insz_masked(self) -> str:
        return insz_rules.mask(self.insz) if self.insz else "—"

    @property
    def insz_formatted(self) -> str:
        return insz_rules.parse(self.insz).formatted if self.insz else "—"

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class PersonAssignment(BaseModel):
    """Another organisation that works with the person (and so may see them)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="person_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], name="person_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation}"


class Relation(models.TextChoices):
    SELF = "self", _("The person")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other household member")


class Activity(models.TextChoices):
    """What a member mostly did in the income reference year (for work intensity)."""

    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired or pensioner")
    SURVIVOR_PENSION = "survivor_pension", _("Survivor's pension")
    INACTIVE = "inactive", _("Inactive (household, care, …)")
    SICK_DISABLED = "sick_disabled", _("Sick or disabled")
    CHILD = "child", _("Child (not of working age)")


class HouseholdMember(BaseModel):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("registered person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household_memberships",
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    activity = models.CharField(
        _("main activity last year"), max_length=20, choices=Activity.choices, blank=True
    )
    months_worked = models.PositiveSmallIntegerField(
        _("months worked last year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(12)],
        help_text=_("0 to 12, full-time equivalent months in the income reference year."),
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="self"),
                name="household_one_self",
                violation_error_message=_("A household has exactly one reference person."),
            ),
            models.CheckConstraint(
                condition=models.Q(months_worked__isnull=True) | models.Q(months_worked__lte=12),
                name="member_months_worked_at_most_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} ({self.get_relation_display()})"


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("Wages")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")
    LEEFLOON = "leefloon", _("Leefloon (social assistance income)")
    SICKNESS_DISABILITY = "sickness_disability", _("Sickness or disability benefit")
    CHILD_BENEFIT = "child_benefit", _("Child benefit (Groeipakket)")
    ALIMONY = "alimony", _("Maintenance payments")
    PENSION = "pension", _("Pension")
    OTHER = "other", _("Other income")


class IncomeComponent(BaseModel):
    """One monthly net income stream of the household (euro per month)."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="income_components",
    )
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="income_components",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(
        _("net amount per month (EUR)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("income component")
        verbose_name_plural = _("income components")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_amount__gte=0), name="income_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.monthly_amount}"


# The intake queue's models live in their sub-package; Django finds them through this import.
from .intake.models import Intake, IntakeStatusChange  # noqa: E402, F401
