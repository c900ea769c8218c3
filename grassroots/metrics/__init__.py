"""KPIs of the closed loop and the aggregates pages read (``docs/rules/kpis.md``): ``kpis`` (indicator definitions
and values), ``aggregates`` (the aggregate SQL over cases, assignments and ratings), ``rollup`` (the live figures),
``selectors`` (the readers, every one with ``actor=``), the ranking page, its export and the API."""
