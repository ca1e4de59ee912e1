"""SearchFilters as a SQL WHERE clause over ``documents d``, shared by the SQLite and PostgreSQL stores."""

from __future__ import annotations

from curbside.domain.knowledge_base import SearchFilters


def filter_clause(filters: SearchFilters, mark: str = "?", like: str = "LIKE") -> tuple[str, list[object]]:
    """``(sql, params)`` restricting ``documents d`` to ``filters`` ("" when there is none).

    ``mark`` is the driver's placeholder (sqlite3 ``?``, psycopg ``%s``); ``like`` the
    case-insensitive LIKE (SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE).
    """
    clauses: list[str] = []
    params: list[object] = []

    def among(column: str, values: tuple[str, ...]) -> None:
        clauses.append(f"{column} IN ({','.join([mark] * len(values))})")
        params.extend(values)

    if filters.kinds:
        among("d.kind", tuple(filters.kinds))
    if filters.sources:
        among("d.source", tuple(filters.sources))
    if filters.licence_classes:
        among("d.licence_class", tuple(filters.licence_classes))
    if filters.organizations:
        clauses.append("(" + " OR ".join(f"d.organization {like} {mark}" for _ in filters.organizations) + ")")
        params += [f"%{org}%" for org in filters.organizations]
    if filters.year_min is not None:
        clauses.append(f"d.year >= {mark}")
        params.append(filters.year_min)
    if filters.year_max is not None:
        clauses.append(f"d.year <= {mark}")
        params.append(filters.year_max)
    for facet, value in (("drug", filters.drug), ("condition", filters.condition)):
        if value:
            term = value.lower().strip()
            clauses.append(
                f"d.source_id IN (SELECT source_id FROM document_terms WHERE facet = {mark} AND"
                f" (term = {mark} OR term LIKE {mark} OR term LIKE {mark} OR term LIKE {mark}))"
            )
            params += [facet, term, f"{term} %", f"% {term}", f"% {term} %"]
    return (" AND ".join(clauses), params)
