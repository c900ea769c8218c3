from django import template

register = template.Library()


@register.filter
def party_age(membership, on=None):
    """党龄 in whole years on ``on`` (today by default); "—" for a probationary member."""
    years = membership.party_age_years(on=on)
    return "—" if years is None else years
