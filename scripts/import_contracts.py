"""An import-linter contract the built-in types cannot say: apps reach each other only through their public
modules (docs/adr/0025).

    [[tool.importlinter.contracts]]
    type = "public_modules"
    apps = ["joinedup.casework", "joinedup.csp", ...]
    public = ["selectors", "services", "*_selectors", "*_services"]

A module of one listed app may import a module of another listed app only when the imported module's first
name inside that app, or the name of a sub-package's module, matches one of the `public` patterns: so
`joinedup.insight.services` is public, and so are `joinedup.insight.imports.services` and
`joinedup.funding.commissioning.selectors` (a sub-area's services and selectors, docs/adr/0042), but not
`joinedup.insight.imports.importer` or `joinedup.funding.commissioning.views`. Imports inside an app are not this contract's business.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


def _is_public(inside: str, public: list[str]) -> bool:
    """`inside` is the imported module's name within its app: public when its first name matches a pattern
    (a layer module or package), or its second does (a sub-area's layer module: `commissioning.selectors`)."""
    names = inside.split(".")
    return any(fnmatchcase(name, pattern) for name in names[:2] if name for pattern in public)


class PublicModulesContract(Contract):
    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    # Importers left out, as fnmatch patterns (tests may build any app's data).
    exclude = fields.ListField(subfield=fields.StringField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        apps: list[str] = list(self.apps)  # type: ignore[call-overload]
        public: list[str] = list(self.public)  # type: ignore[call-overload]
        exclude: list[str] = list(self.exclude or [])  # type: ignore[call-overload]

        def app_of(module: str) -> str | None:
            return next((app for app in apps if module == app or module.startswith(app + ".")), None)

        links = []
        for app in apps:
            for importer in sorted({app} | graph.find_descendants(app)):
                if any(fnmatchcase(importer, pattern) for pattern in exclude):
                    continue
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    other = app_of(imported)
                    if other is None or other == app:
                        continue
                    if _is_public(imported[len(other) + 1 :], public):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = tuple(detail["line_number"] for detail in details)
                    links.append((importer, imported, lines))
        return ContractCheck(
            kept=not links,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"links": links},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of another app's private modules:", bold=False)
        output.new_line()
        for importer, imported, lines in check.metadata["links"]:
            output.print_error(f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
        output.new_line()
