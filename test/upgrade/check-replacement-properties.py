"""Checks test/upgrade/replacement-properties.json against CloudFormation's resource schemas.

CloudFormation publishes, for every resource type, the properties whose change replaces the
resource ("createOnlyProperties"; the template reference says "Update requires: Replacement").
cfn-lint ships those schemas; run with cfn-lint's Python (test/lint/cfn-lint.sh does), this fails
when the table the logical-ID pins rely on no longer matches them.
"""
import json
import sys
from pathlib import Path

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

TABLE = Path(__file__).with_name("replacement-properties.json")
REGION = "us-east-1"


def create_only(resource_type: str) -> list:
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, resource_type).schema
    prefix = "/properties/"
    return sorted(p[len(prefix):] for p in schema.get("createOnlyProperties", []))


def main() -> int:
    table = {k: v for k, v in json.loads(TABLE.read_text()).items() if not k.startswith("$")}
    wrong = []
    for resource_type, entry in sorted(table.items()):
        expected = create_only(resource_type)
        if sorted(entry["replacedWhenChanged"]) != expected:
            wrong.append(f"{resource_type}: the table says {sorted(entry['replacedWhenChanged'])}, "
                         f"CloudFormation's schema says {expected}")
    if wrong:
        print(f"{TABLE} is out of date (fix it, then the README table 'Upgrades and changes that replace the service'):")
        print("\n".join(f"  {w}" for w in wrong))
        return 1
    print(f"replacement properties of {len(table)} resource types match CloudFormation's schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
