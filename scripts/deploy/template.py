"""Reading synthesized templates: loading, references between resources, dependency order, and
resolving intrinsic functions to the values a deployed stack actually has.

Anything that cannot be resolved (an attribute we have no way to read back, a resource moto
skipped) becomes HOLE inside strings; `matches()` treats a HOLE as "any non-empty text", and
callers count holes so a report can say how much of a comparison was exact."""

import base64
import ipaddress
import json
import re

HOLE = "\x00?\x00"
NOVALUE = object()  # AWS::NoValue: the key or list item disappears


def load_template(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    # YAML with short-form intrinsics (!Ref, !Sub, ...): cfn-lint (pinned alongside) decodes those.
    from cfnlint.decode import cfn_yaml
    return json.loads(json.dumps(cfn_yaml.loads(text)))


def intrinsic(value):
    """(name, argument) when `value` is a one-key intrinsic-function object, else None."""
    if isinstance(value, dict) and len(value) == 1:
        (k, v), = value.items()
        if k == "Ref" or k == "Condition" or k.startswith("Fn::"):
            return k, v
    return None


def getatt_args(arg):
    if isinstance(arg, str):
        lid, _, attr = arg.partition(".")
        return lid, attr
    return arg[0], arg[1]


SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def references(value, resources):
    """Logical ids of resources that `value` refers to (Ref, GetAtt, Sub)."""
    found = set()

    def walk(v, sub_vars=()):
        fn = intrinsic(v)
        if fn:
            name, arg = fn
            if name == "Ref" and arg in resources:
                found.add(arg)
            elif name == "Fn::GetAtt":
                lid, _ = getatt_args(arg)
                if isinstance(lid, str) and lid in resources:
                    found.add(lid)
                else:
                    walk(arg)
            elif name == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                for var in SUB_VAR.findall(text):
                    if var.startswith("!") or var in variables:
                        continue
                    lid = var.split(".")[0]
                    if lid in resources:
                        found.add(lid)
                walk(variables)
            else:
                walk(arg)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(value)
    return found


def dependency_order(template):
    """Logical ids so that each comes after everything it refers to or DependsOn (stable: ties
    keep template order)."""
    resources = template.get("Resources", {})
    deps = {}
    for lid, res in resources.items():
        d = references({k: v for k, v in res.items() if k != "DependsOn"}, resources)
        on = res.get("DependsOn", [])
        d.update([on] if isinstance(on, str) else on)
        d.discard(lid)
        deps[lid] = {x for x in d if x in resources}
    order, done = [], set()
    while len(order) < len(resources):
        ready = [lid for lid in resources if lid not in done and deps[lid] <= done]
        if not ready:  # a cycle: CloudFormation rejects it anyway; keep template order
            ready = [lid for lid in resources if lid not in done][:1]
        order.append(ready[0])
        done.add(ready[0])
    return order


def to_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return v
    return HOLE


class Resolver:
    """Resolves a template's intrinsics against one deployed stack.

    params: parameter values the stack was created with; physical: logical id -> physical id of
    every created resource; exports: export name -> value; getatt(logical_id, attribute) -> value
    or HOLE."""

    def __init__(self, template, *, params, physical, exports, account, region, stack_name,
                 stack_id, azs, getatt):
        self.template = template
        self.resources = template.get("Resources", {})
        self.params = params
        self.physical = physical
        self.exports = exports
        self.account, self.region = account, region
        self.stack_name, self.stack_id = stack_name, stack_id
        self.azs = azs
        self.getatt = getatt
        self._conditions = {}

    # -- conditions ----------------------------------------------------------------------------
    def condition(self, name):
        if name not in self._conditions:
            self._conditions[name] = None  # cycle guard
            self._conditions[name] = bool(self.resolve(self.template.get("Conditions", {})[name]))
        return bool(self._conditions[name])

    def resource_enabled(self, lid):
        cond = self.resources[lid].get("Condition")
        return cond is None or self.condition(cond)

    # -- values ----------------------------------------------------------------------------------
    def ref(self, name):
        if name in self.params:
            return self.params[name]
        if name in self.physical:
            return self.physical[name]
        pseudo = {
            "AWS::AccountId": self.account, "AWS::Region": self.region, "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": self.stack_name,
            "AWS::StackId": self.stack_id, "AWS::NotificationARNs": [], "AWS::NoValue": NOVALUE,
        }
        if name in pseudo:
            return pseudo[name]
        return HOLE  # a resource moto skipped, or a condition-disabled one

    def sub(self, arg):
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        variables = {k: self.resolve(v) for k, v in variables.items()}

        def one(m):
            var = m.group(1)
            if var.startswith("!"):
                return "${" + var[1:] + "}"
            if var in variables:
                return to_text(variables[var])
            if "." in var and var.split(".")[0] in self.resources:
                lid, attr = var.split(".", 1)
                return to_text(self.getatt(lid, attr))
            return to_text(self.ref(var))

        return SUB_VAR.sub(one, text)

    def resolve(self, v):
        fn = intrinsic(v)
        if fn:
            name, arg = fn
            return self.call(name, arg)
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                r = self.resolve(x)
                if r is not NOVALUE:
                    out[k] = r
            return out
        if isinstance(v, list):
            return [r for r in (self.resolve(x) for x in v) if r is not NOVALUE]
        return v

    def call(self, name, arg):
        r = self.resolve
        if name == "Ref":
            return self.ref(arg)
        if name == "Condition":
            return self.condition(arg)
        if name == "Fn::GetAtt":
            lid, attr = getatt_args(arg)
            return self.getatt(r(lid), r(attr))
        if name == "Fn::Sub":
            return self.sub(arg)
        if name == "Fn::Join":
            delim, items = arg[0], r(arg[1])
            return delim.join(to_text(x) for x in items) if isinstance(items, list) else HOLE
        if name == "Fn::Select":
            idx, items = r(arg[0]), r(arg[1])
            try:
                return items[int(idx)]
            except (TypeError, ValueError, IndexError):
                return HOLE
        if name == "Fn::Split":
            delim, text = arg[0], r(arg[1])
            return text.split(delim) if isinstance(text, str) and HOLE not in text else HOLE
        if name == "Fn::If":
            cond, yes, no = arg
            return r(yes) if self.condition(cond) else r(no)
        if name == "Fn::Equals":
            return to_text(r(arg[0])) == to_text(r(arg[1]))
        if name == "Fn::And":
            return all(r(x) for x in arg)
        if name == "Fn::Or":
            return any(r(x) for x in arg)
        if name == "Fn::Not":
            return not r(arg[0])
        if name == "Fn::ImportValue":
            return self.exports.get(r(arg), HOLE)
        if name == "Fn::GetAZs":
            return list(self.azs)
        if name == "Fn::Base64":
            text = r(arg)
            return base64.b64encode(text.encode()).decode() if HOLE not in to_text(text) else HOLE
        if name == "Fn::FindInMap":
            m, k1, k2 = (r(x) for x in arg[:3])
            try:
                return self.template["Mappings"][m][k1][k2]
            except (KeyError, TypeError):
                return HOLE
        if name == "Fn::Cidr":
            block, count, bits = r(arg[0]), int(r(arg[1])), int(r(arg[2]))
            try:
                net = ipaddress.ip_network(block, strict=False)
                return [str(n) for n in list(net.subnets(new_prefix=net.max_prefixlen - bits))[:count]]
            except ValueError:
                return HOLE
        return HOLE


def holes(value):
    """How many unresolved pieces `value` contains."""
    if isinstance(value, str):
        return value.count(HOLE)
    if isinstance(value, dict):
        return sum(holes(v) for v in value.values())
    if isinstance(value, list):
        return sum(holes(v) for v in value)
    return 0


def matches(expected, actual):
    """Equality where a HOLE in `expected` matches any non-empty text. Numbers and their decimal
    strings are equal (CloudFormation and the APIs disagree about which one a value is)."""
    if isinstance(expected, str) and HOLE in expected:
        if not isinstance(actual, (str, int, float)) or isinstance(actual, bool):
            return expected == HOLE
        pattern = ".+".join(re.escape(p) for p in expected.split(HOLE))
        return re.fullmatch(pattern, str(actual), re.S) is not None
    if isinstance(expected, dict):
        return isinstance(actual, dict) and same_keys(expected, actual) and all(
            matches(expected[k], actual.get(k)) for k in expected)
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            matches(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return to_text(expected).lower() == to_text(actual).lower()
    if isinstance(expected, (int, float, str)) and isinstance(actual, (int, float, str)):
        return str(expected) == str(actual)
    return expected == actual


def same_keys(expected, actual):
    """Key sets equal, except that a key whose expected value is wholly unresolved may be missing
    (moto drops a property whose value is a Ref to a resource it skipped)."""
    return set(actual) <= set(expected) and all(
        k in actual or expected[k] == HOLE for k in expected)


def matches_unordered(expected, actual):
    """Multiset match of two lists under `matches` (greedy; fine for policy-sized lists)."""
    if len(expected) != len(actual):
        return False
    left = list(actual)
    # Exact items first, so a HOLE pattern does not steal the item an exact value needs.
    for e in sorted(expected, key=holes):
        for i, a in enumerate(left):
            if matches(e, a):
                del left[i]
                break
        else:
            return False
    return True


def show(value):
    """A value for messages, with holes shown as <?>."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text.replace(HOLE, "<?>").replace(json.dumps(HOLE)[1:-1], "<?>")
