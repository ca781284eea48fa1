import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _level(label):
    return models.PositiveSmallIntegerField(
        validators=[
            django.core.validators.MinValueValidator(1),
            django.core.validators.MaxValueValidator(5),
        ],
        verbose_name=label,
    )


ITEMS = [
    ("self_worth", "I feel good about who I am."),
    ("own_strengths", "I know what I am good at."),
    ("belonging", "I feel I have a place among other people."),
    ("setbacks", "I can cope with setbacks."),
    ("grip", "I have a grip on my life."),
    ("energy", "I have the energy to take steps towards work."),
]


class Migration(migrations.Migration):
    dependencies = [
        ("groupwork", "0002_text_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SelfAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "moment",
                    models.CharField(
                        choices=[("start", "Start of group work"), ("end", "End of group work")],
                        max_length=5,
                        verbose_name="moment",
                    ),
                ),
                ("assessed_on", models.DateField(verbose_name="filled in on")),
                *[(name, _level(label)) for name, label in ITEMS],
                (
                    "assessed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="self_assessments",
                        to="groupwork.enrolment",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-assessment",
                "verbose_name_plural": "self-assessments",
                "ordering": ["enrolment", "moment"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("enrolment", "moment"), name="self_assessment_per_moment"
                    ),
                    *[
                        models.CheckConstraint(
                            condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                            name=f"self_assessment_{name}_1_5",
                        )
                        for name, _label in ITEMS
                    ],
                ],
            },
        ),
    ]
