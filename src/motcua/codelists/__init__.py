"""Code lists shared by e-forms and addresses: ethnic groups, nationalities, provinces, communes.

Data come from maintained sources: the statistics office list of ethnic groups; `pycountry`
for the countries and `babel` (Unicode CLDR) for their Vietnamese names; `vietnam-provinces`
for the provinces and communes after 1 July 2025. `schema.with_codelists` puts them into
JSON Schema e-forms; `formats.FORMATS` holds the extra formats e-forms use.
"""
