"""Factories for the partnership register's tests."""

from __future__ import annotations

from typing import Any, cast

import factory

from joinedup.core.models import Organisation
from joinedup.core.tests.factories import OrganisationFactory
from joinedup.partnerships.models import LegalBasis, Level, Partnership, Status, Visibility


def make_organisation(**kwargs: Any) -> Organisation:
    """core's OrganisationFactory, typed as the model it makes."""
    return cast(Organisation, OrganisationFactory(**kwargs))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    purpose = "Reduce reoffending by joining up services."
    legal_basis = LegalBasis.AGREEMENT
    level = Level.LOCAL
    status = Status.PROPOSED
    visibility = Visibility.INTERNAL
    exit_triggers = "The partners agree the purpose has been met."
    exit_steps = "Six months' notice; assets returned to their owners."


def make_partnership(**kwargs: Any) -> Partnership:
    """PartnershipFactory, typed as the model it makes."""
    return cast(Partnership, PartnershipFactory(**kwargs))
