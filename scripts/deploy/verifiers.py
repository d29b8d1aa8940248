"""One small verifier per resource type, keyed by type in VERIFIERS, plus GetAtt read-back.

A verifier gets the stack context and every created resource of its type in that stack, makes as
few describe calls as it can (batched by id), and reports per logical id through ctx.result().
Expected values come from the template with intrinsics resolved to what moto reports (see
template.Resolver); HOLEs (values we cannot read back) match anything and are counted."""

import ast
import base64
import json
import re

from .template import HOLE, holes, matches, matches_unordered, same_keys, show

# -- GetAtt read-back ------------------------------------------------------------------------------


def _arn(ctx, service, resource):
    return f"arn:aws:{service}:{ctx.region}:{ctx.account}:{resource}"


def _vpc(ctx, pid):
    return ctx.call("ec2", "describe-vpcs", "--vpc-ids", pid)["Vpcs"][0]


def _subnet(ctx, pid):
    return ctx.call("ec2", "describe-subnets", "--subnet-ids", pid)["Subnets"][0]


def _sg(ctx, pid):
    return ctx.call("ec2", "describe-security-groups", "--group-ids", pid)["SecurityGroups"][0]


def _log_group(ctx, name):
    groups = ctx.call("logs", "describe-log-groups", "--log-group-name-prefix", name)["logGroups"]
    return next((g for g in groups if g["logGroupName"] == name), None)


def _eip(ctx, pid):
    # moto's physical id for AWS::EC2::EIP is the public IP (as CloudFormation's Ref is).
    addrs = ctx.call("ec2", "describe-addresses")["Addresses"]
    return next(a for a in addrs if pid in (a.get("PublicIp"), a.get("AllocationId")))


GETATT = {
    ("AWS::IAM::Role", "Arn"): lambda c, p: c.call("iam", "get-role", "--role-name", p)["Role"]["Arn"],
    ("AWS::IAM::Role", "RoleId"): lambda c, p: c.call("iam", "get-role", "--role-name", p)["Role"]["RoleId"],
    ("AWS::SQS::Queue", "Arn"): lambda c, p: c.call(
        "sqs", "get-queue-attributes", "--queue-url", p, "--attribute-names", "All")["Attributes"]["QueueArn"],
    ("AWS::SQS::Queue", "QueueName"): lambda c, p: p.rstrip("/").rsplit("/", 1)[-1],
    ("AWS::SQS::Queue", "QueueUrl"): lambda c, p: p,
    ("AWS::DynamoDB::Table", "Arn"): lambda c, p: c.call("dynamodb", "describe-table", "--table-name", p)["Table"]["TableArn"],
    ("AWS::DynamoDB::Table", "StreamArn"): lambda c, p: c.call(
        "dynamodb", "describe-table", "--table-name", p)["Table"].get("LatestStreamArn", HOLE),
    # moto's GetAtt Arn is the ARN without the ":*" suffix CloudFormation gives (logGroupArn).
    ("AWS::Logs::LogGroup", "Arn"): lambda c, p: (_log_group(c, p) or {}).get("logGroupArn", HOLE),
    ("AWS::EC2::VPC", "CidrBlock"): lambda c, p: _vpc(c, p)["CidrBlock"],
    ("AWS::EC2::VPC", "VpcId"): lambda c, p: p,
    ("AWS::EC2::VPC", "DefaultSecurityGroup"): lambda c, p: next(
        g["GroupId"] for g in c.call("ec2", "describe-security-groups", "--filters",
                                     f"Name=vpc-id,Values={p}", "Name=group-name,Values=default")["SecurityGroups"]),
    ("AWS::EC2::Subnet", "SubnetId"): lambda c, p: p,
    ("AWS::EC2::Subnet", "VpcId"): lambda c, p: _subnet(c, p)["VpcId"],
    ("AWS::EC2::Subnet", "AvailabilityZone"): lambda c, p: _subnet(c, p)["AvailabilityZone"],
    ("AWS::EC2::Subnet", "CidrBlock"): lambda c, p: _subnet(c, p)["CidrBlock"],
    ("AWS::EC2::SecurityGroup", "GroupId"): lambda c, p: p if p.startswith("sg-") else HOLE,
    ("AWS::EC2::SecurityGroup", "VpcId"): lambda c, p: _sg(c, p)["VpcId"],
    ("AWS::EC2::EIP", "AllocationId"): lambda c, p: _eip(c, p)["AllocationId"],
    ("AWS::EC2::EIP", "PublicIp"): lambda c, p: _eip(c, p)["PublicIp"],
    ("AWS::SNS::Topic", "TopicArn"): lambda c, p: p,
    ("AWS::SNS::Topic", "TopicName"): lambda c, p: p.rsplit(":", 1)[-1],
    ("AWS::Lambda::Function", "Arn"): lambda c, p: _arn(c, "lambda", f"function:{p}"),
    ("AWS::S3::Bucket", "Arn"): lambda c, p: f"arn:aws:s3:::{p}",
    ("AWS::ECS::Cluster", "Arn"): lambda c, p: p if p.startswith("arn:") else _arn(c, "ecs", f"cluster/{p}"),
    ("AWS::Events::EventBus", "Name"): lambda c, p: p.rsplit("/", 1)[-1],
    ("AWS::Events::EventBus", "Arn"): lambda c, p: p if p.startswith("arn:") else _arn(c, "events", f"event-bus/{p}"),
}


def read_attribute(ctx, rtype, physical, attr):
    """The value of Fn::GetAtt on a created resource, or HOLE when we cannot read it back."""
    fn = GETATT.get((rtype, attr))
    try:
        if fn:
            return fn(ctx, physical)
        if attr == "Arn" and isinstance(physical, str) and physical.startswith("arn:"):
            return physical
    except Exception:  # a describe call moto does not answer: leave it unresolved
        pass
    return HOLE


# -- helpers -------------------------------------------------------------------------------------


def literal(value):
    """The value when fully resolved (no HOLE anywhere), else None."""
    return None if value is None or holes(value) else value


def differ(what, expected, actual):
    return f"{what}: expected {show(expected)}, got {show(actual)}"


def by_id(items, key, rows):
    index = {r[key]: r for r in rows}
    return [(it, index.get(it.physical)) for it in items]


# -- EC2 networking --------------------------------------------------------------------------------


def verify_vpc(ctx, items):
    rows = ctx.call("ec2", "describe-vpcs", "--vpc-ids", *[i.physical for i in items])["Vpcs"]
    for it, vpc in by_id(items, "VpcId", rows):
        if vpc is None:
            ctx.result(it, [f"describe-vpcs does not know {it.physical}"])
            continue
        errs = []
        want = literal(it.props.get("CidrBlock"))
        if want is not None and vpc["CidrBlock"] != want:
            errs.append(differ("CidrBlock", want, vpc["CidrBlock"]))
        ctx.result(it, errs)


def verify_subnet(ctx, items):
    rows = ctx.call("ec2", "describe-subnets", "--subnet-ids", *[i.physical for i in items])["Subnets"]
    for it, sn in by_id(items, "SubnetId", rows):
        if sn is None:
            ctx.result(it, [f"describe-subnets does not know {it.physical}"])
            continue
        errs = []
        # (moto's CloudFormation ignores MapPublicIpOnLaunch, so it is not compared.)
        for prop in ("CidrBlock", "VpcId", "AvailabilityZone"):
            want = literal(it.props.get(prop))
            if want is not None and not matches(want, sn.get(prop)):
                errs.append(differ(prop, want, sn.get(prop)))
        ctx.result(it, errs)


PROTOCOLS = {"-1": "-1", "all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
DEFAULT_EGRESS = [["-1", None, None, "cidr", "0.0.0.0/0"]]


def _proto(p):
    p = str(p).lower()
    return PROTOCOLS.get(p, p)


def _ports(proto, lo, hi):
    if proto == "-1":
        return None, None
    return (None if lo is None else int(lo)), (None if hi is None else int(hi))


def declared_rules(rule, egress):
    """A template rule (inline or a SecurityGroupIngress/Egress resource) as [proto, from, to, kind, peer]."""
    proto = _proto(rule.get("IpProtocol"))
    lo, hi = _ports(proto, rule.get("FromPort"), rule.get("ToPort"))
    peers = [("cidr", rule.get("CidrIp")), ("cidr6", rule.get("CidrIpv6")),
             ("sg", rule.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")),
             ("pl", rule.get("DestinationPrefixListId" if egress else "SourcePrefixListId"))]
    return [[proto, lo, hi, kind, peer] for kind, peer in peers if peer is not None]


def actual_rules(perms):
    out = []
    for p in perms:
        proto = _proto(p.get("IpProtocol"))
        lo, hi = _ports(proto, p.get("FromPort"), p.get("ToPort"))
        out += [[proto, lo, hi, "cidr", r["CidrIp"]] for r in p.get("IpRanges", [])]
        out += [[proto, lo, hi, "cidr6", r["CidrIpv6"]] for r in p.get("Ipv6Ranges", [])]
        out += [[proto, lo, hi, "sg", g["GroupId"]] for g in p.get("UserIdGroupPairs", [])]
        out += [[proto, lo, hi, "pl", x["PrefixListId"]] for x in p.get("PrefixListIds", [])]
    return out


def _dedupe(rules):
    seen, out = set(), []
    for r in rules:
        key = json.dumps(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _fmt_rules(rules):
    def one(r):
        proto, lo, hi, kind, peer = r
        ports = "all" if lo is None else (str(lo) if lo == hi else f"{lo}-{hi}")
        return f"{proto}:{ports}<-{kind}:{show(peer)}"
    return "[" + ", ".join(sorted(one(r) for r in rules)) + "]"


def verify_security_group(ctx, items):
    rows = ctx.call("ec2", "describe-security-groups", "--group-ids",
                    *[i.physical for i in items])["SecurityGroups"]
    # Standalone rule resources of this stack, by the group they name.
    standalone = {"ingress": {}, "egress": {}}
    for other in ctx.created("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        direction = "egress" if other.type.endswith("Egress") else "ingress"
        gid = other.props.get("GroupId")
        standalone[direction].setdefault(gid, []).append(other.props)
        ctx.covered(other, "rule checked on its security group")
    for decl_type in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        if ctx.skipped_of(decl_type):
            ctx.note(f"{decl_type} resources skipped by moto are not part of the expected rules")
    for it, sg in by_id(items, "GroupId", rows):
        if sg is None:
            ctx.result(it, [f"describe-security-groups does not know {it.physical}"])
            continue
        errs = []
        for direction, prop, field in (("ingress", "SecurityGroupIngress", "IpPermissions"),
                                       ("egress", "SecurityGroupEgress", "IpPermissionsEgress")):
            egress = direction == "egress"
            inline = it.props.get(prop) or []
            declared = list(DEFAULT_EGRESS) if egress and not inline else []  # AWS's allow-all
            for rule in inline + standalone[direction].get(it.physical, []):
                declared += declared_rules(rule, egress)
            declared = _dedupe(declared)
            actual = _dedupe(actual_rules(sg.get(field, [])))
            if egress and inline and matches_unordered(DEFAULT_EGRESS, actual) \
                    and not matches_unordered(declared, actual):
                ctx.note(f"{it.lid}: moto ignores the inline SecurityGroupEgress property "
                         f"(declared {_fmt_rules(declared)}); egress not compared")
                continue
            if not matches_unordered(declared, actual):
                errs.append(f"{direction} rules: expected {_fmt_rules(declared)}, got {_fmt_rules(actual)}")
        want_vpc = literal(it.props.get("VpcId"))
        if want_vpc is not None and sg.get("VpcId") != want_vpc:
            errs.append(differ("VpcId", want_vpc, sg.get("VpcId")))
        ctx.result(it, errs)


def verify_internet_gateway(ctx, items):
    rows = ctx.call("ec2", "describe-internet-gateways", "--internet-gateway-ids",
                    *[i.physical for i in items])["InternetGateways"]
    for it, igw in by_id(items, "InternetGatewayId", rows):
        ctx.result(it, [] if igw else [f"describe-internet-gateways does not know {it.physical}"])


def verify_gateway_attachment(ctx, items):
    for it in items:
        igw_id, vpc_id = literal(it.props.get("InternetGatewayId")), literal(it.props.get("VpcId"))
        if it.props.get("VpnGatewayId") is not None:
            ctx.result(it, None, "VPN gateway attachments are not verified")
            continue
        if igw_id is None or vpc_id is None:
            ctx.result(it, None, "gateway or VPC id not resolvable")
            continue
        igws = ctx.call("ec2", "describe-internet-gateways", "--internet-gateway-ids", igw_id)["InternetGateways"]
        attached = [a["VpcId"] for g in igws for a in g.get("Attachments", [])
                    if a.get("State") in ("available", "attached")]
        ctx.result(it, [] if vpc_id in attached else
                    [f"internet gateway {igw_id} is not attached to {vpc_id} (attachments: {attached})"])


def verify_nat_gateway(ctx, items):
    rows = ctx.call("ec2", "describe-nat-gateways", "--nat-gateway-ids",
                    *[i.physical for i in items])["NatGateways"]
    for it, nat in by_id(items, "NatGatewayId", rows):
        if nat is None:
            ctx.result(it, [f"describe-nat-gateways does not know {it.physical}"])
            continue
        errs = []
        want = literal(it.props.get("SubnetId"))
        if want is not None and nat.get("SubnetId") != want:
            errs.append(differ("SubnetId", want, nat.get("SubnetId")))
        alloc = literal(it.props.get("AllocationId"))
        got = [a.get("AllocationId") for a in nat.get("NatGatewayAddresses", [])]
        if alloc is not None and alloc not in got:
            errs.append(differ("AllocationId", alloc, got))
        if nat.get("State") not in ("available", "pending"):
            errs.append(f"state {nat.get('State')}")
        ctx.result(it, errs)


def verify_vpc_endpoint(ctx, items):
    """Type, service, VPC, and where it sits: the subnets and groups of an interface endpoint
    (with private DNS), the route tables of a gateway one."""
    rows = ctx.call("ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids",
                    *[i.physical for i in items])["VpcEndpoints"]
    for it, ep in by_id(items, "VpcEndpointId", rows):
        if ep is None:
            ctx.result(it, [f"describe-vpc-endpoints does not know {it.physical}"])
            continue
        errs = []
        for key in ("VpcId", "ServiceName", "VpcEndpointType", "PrivateDnsEnabled"):
            want = it.props.get(key)
            if want is not None and not matches(want, ep.get(key)):
                errs.append(differ(key, want, ep.get(key)))
        groups = [g.get("GroupId") for g in ep.get("Groups", [])]
        for key, got in (("SubnetIds", ep.get("SubnetIds", [])),
                         ("RouteTableIds", ep.get("RouteTableIds", [])),
                         ("SecurityGroupIds", groups)):
            want = it.props.get(key)
            if want is not None and not matches_unordered(want, got):
                errs.append(differ(key, want, got))
        ctx.result(it, errs)


ROUTE_TARGETS = ("GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId",
                 "VpcPeeringConnectionId", "TransitGatewayId", "VpcEndpointId",
                 "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId")
ROUTE_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


def _route_tables(ctx, ids):
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    rows = ctx.call("ec2", "describe-route-tables", "--route-table-ids", *ids)["RouteTables"]
    return {t["RouteTableId"]: t for t in rows}


def verify_route_table(ctx, items):
    tables = _route_tables(ctx, [i.physical for i in items])
    for it in items:
        t = tables.get(it.physical)
        if t is None:
            ctx.result(it, [f"describe-route-tables does not know {it.physical}"])
            continue
        want = literal(it.props.get("VpcId"))
        ctx.result(it, [differ("VpcId", want, t.get("VpcId"))] if want and t.get("VpcId") != want else [])


def verify_route(ctx, items):
    tables = _route_tables(ctx, [literal(i.props.get("RouteTableId")) for i in items])
    for it in items:
        table_id = literal(it.props.get("RouteTableId"))
        t = tables.get(table_id)
        if t is None:
            ctx.result(it, [f"route table {show(it.props.get('RouteTableId'))} not found"])
            continue
        dest = {k: it.props[k] for k in ROUTE_DESTINATIONS if k in it.props}
        target = {k: it.props[k] for k in ROUTE_TARGETS if k in it.props}
        found = [r for r in t.get("Routes", [])
                 if all(matches(v, r.get(k)) for k, v in {**dest, **target}.items())]
        if not found:
            ctx.result(it, [f"no route {show(dest)} -> {show(target)} in {table_id} "
                            f"(routes: {show([{k: v for k, v in r.items() if k != 'Origin'} for r in t.get('Routes', [])])})"])
        else:
            ctx.result(it, [])


# -- SQS, DynamoDB, Logs -------------------------------------------------------------------------

QUEUE_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
                    "ReceiveMessageWaitTimeSeconds", "FifoQueue", "ContentBasedDeduplication")


def verify_queue(ctx, items):
    for it in items:
        attrs = ctx.call("sqs", "get-queue-attributes", "--queue-url", it.physical,
                         "--attribute-names", "All").get("Attributes", {})
        errs = []
        want = it.props.get("RedrivePolicy")
        if isinstance(want, str):
            want = json.loads(want)
        got = json.loads(attrs["RedrivePolicy"]) if attrs.get("RedrivePolicy") else None
        if want:
            if not got:
                errs.append(f"RedrivePolicy: expected {show(want)}, queue has none")
            else:
                for key in ("maxReceiveCount", "deadLetterTargetArn"):
                    if key in want and not matches(want[key], got.get(key)):
                        errs.append(differ(f"RedrivePolicy.{key}", want[key], got.get(key)))
        elif got:
            errs.append(f"RedrivePolicy: none declared, queue has {show(got)}")
        for key in QUEUE_ATTRIBUTES:
            w = literal(it.props.get(key))
            if w is not None and not matches(w, attrs.get(key)):
                errs.append(differ(key, w, attrs.get(key)))
        ctx.result(it, errs)


def _keys(schema):
    return [[k["AttributeName"], k["KeyType"]] for k in schema or []]


def _indexes(decl, got):
    errs = []
    want = {i["IndexName"]: i for i in decl or []}
    have = {i["IndexName"]: i for i in got or []}
    if sorted(want) != sorted(have):
        return [f"indexes: expected {sorted(want)}, got {sorted(have)}"]
    for name, w in want.items():
        h = have[name]
        if not matches(_keys(w.get("KeySchema")), _keys(h.get("KeySchema"))):
            errs.append(differ(f"index {name} KeySchema", _keys(w.get("KeySchema")), _keys(h.get("KeySchema"))))
        wp = (w.get("Projection") or {}).get("ProjectionType")
        hp = (h.get("Projection") or {}).get("ProjectionType")
        if wp is not None and wp != hp:
            errs.append(differ(f"index {name} ProjectionType", wp, hp))
        wn = sorted((w.get("Projection") or {}).get("NonKeyAttributes") or [])
        hn = sorted((h.get("Projection") or {}).get("NonKeyAttributes") or [])
        if wn != hn:
            errs.append(differ(f"index {name} NonKeyAttributes", wn, hn))
    return errs


def verify_table(ctx, items):
    for it in items:
        t = ctx.call("dynamodb", "describe-table", "--table-name", it.physical)["Table"]
        errs = []
        if not matches(_keys(it.props.get("KeySchema")), _keys(t.get("KeySchema"))):
            errs.append(differ("KeySchema", _keys(it.props.get("KeySchema")), _keys(t.get("KeySchema"))))
        errs += _indexes(it.props.get("GlobalSecondaryIndexes"), t.get("GlobalSecondaryIndexes"))
        errs += _indexes(it.props.get("LocalSecondaryIndexes"), t.get("LocalSecondaryIndexes"))
        ctx.result(it, errs)


def verify_log_group(ctx, items):
    for it in items:
        g = _log_group(ctx, it.physical)
        if g is None:
            ctx.result(it, [f"log group {it.physical} not found"])
            continue
        want = literal(it.props.get("RetentionInDays"))
        got = g.get("retentionInDays")
        ok = (got is None) if want is None else matches(want, got)
        ctx.result(it, [] if ok else [differ("RetentionInDays", want, got)])


# -- IAM ------------------------------------------------------------------------------------------

SETLIKE = ("Action", "NotAction", "Resource", "NotResource")


def _aslist(v):
    return v if isinstance(v, list) else [v]


def _statement_matches(want, got):
    if not same_keys(want, got):
        return False
    for key, w in want.items():
        if key not in got:
            continue  # wholly unresolved and dropped by moto (see same_keys)
        g = got[key]
        if key in SETLIKE:
            ok = matches_unordered(_aslist(w), _aslist(g))
        elif key in ("Principal", "NotPrincipal") and isinstance(w, dict) and isinstance(g, dict):
            ok = sorted(w) == sorted(g) and all(matches_unordered(_aslist(w[k]), _aslist(g[k])) for k in w)
        elif key == "Condition" and isinstance(w, dict) and isinstance(g, dict):
            ok = sorted(w) == sorted(g) and all(
                isinstance(g[op], dict) and sorted(w[op]) == sorted(g[op])
                and all(matches_unordered(_aslist(w[op][k]), _aslist(g[op][k])) for k in w[op])
                for op in w)
        else:
            ok = matches(w, g)
        if not ok:
            return False
    return True


def _document(doc):
    """A policy document as moto returns it: JSON, or (for a role's inline `Policies` created by
    CloudFormation) the Python repr of the dict, which moto stores with str()."""
    if not isinstance(doc, str):
        return doc
    try:
        return json.loads(doc)
    except ValueError:
        return ast.literal_eval(doc)


def _statements(doc):
    doc = _document(doc)
    return _aslist((doc or {}).get("Statement", []))


def _summary(stmts):
    return [f"{s.get('Effect')} {sorted(map(show, _aslist(s.get('Action', s.get('NotAction', [])))))}" for s in stmts]


def policy_differences(name, want_doc, got_doc):
    want, got = _statements(want_doc), _statements(got_doc)
    if len(want) == len(got) and all(_statement_matches(w, g) for w, g in zip(want, got)):
        return []
    for i, (w, g) in enumerate(zip(want, got)):
        if not _statement_matches(w, g):
            return [f"policy {name} statement {i}: expected {show(w)}, got {show(g)}"]
    return [f"policy {name}: expected {len(want)} statements {_summary(want)}, got {len(got)} {_summary(got)}"]


def verify_role(ctx, items):
    # AWS::IAM::Policy resources of this stack add inline policies to the roles they list.
    extra = {}
    for pol in ctx.created("AWS::IAM::Policy"):
        for role in pol.props.get("Roles", []):
            extra.setdefault(role, {})[pol.props.get("PolicyName")] = pol.props.get("PolicyDocument")
        ctx.covered(pol, "checked as an inline policy of its roles")
    for it in items:
        errs = []
        role = ctx.call("iam", "get-role", "--role-name", it.physical)["Role"]
        want_trust = it.props.get("AssumeRolePolicyDocument")
        if want_trust is not None:
            errs += policy_differences("AssumeRolePolicyDocument", want_trust, role.get("AssumeRolePolicyDocument"))
        want = {p["PolicyName"]: p["PolicyDocument"] for p in it.props.get("Policies", [])}
        want.update(extra.get(it.physical, {}))
        names = ctx.call("iam", "list-role-policies", "--role-name", it.physical).get("PolicyNames", [])
        if sorted(names) != sorted(map(show, want)):
            errs.append(f"inline policies: expected {sorted(map(show, want))}, got {sorted(names)}")
        for name in sorted(set(names) & set(want)):
            got = ctx.call("iam", "get-role-policy", "--role-name", it.physical, "--policy-name", name)
            errs += policy_differences(name, want[name], got.get("PolicyDocument"))
        want_managed = it.props.get("ManagedPolicyArns")
        if want_managed is not None:
            attached = [p["PolicyArn"] for p in ctx.call(
                "iam", "list-attached-role-policies", "--role-name", it.physical).get("AttachedPolicies", [])]
            if want_managed and not attached:
                ctx.note(f"{it.lid}: moto ignores ManagedPolicyArns of AWS::IAM::Role; "
                         f"{len(want_managed)} managed policy ARN(s) not compared")
            elif not matches_unordered(_aslist(want_managed), attached):
                errs.append(differ("ManagedPolicyArns", want_managed, attached))
        n = holes(want) + holes(want_trust) + holes(want_managed)
        ctx.result(it, errs, None, approx=n)


# -- Lambda ---------------------------------------------------------------------------------------

# The key synth gives an asset: its SHA-256 in hex.
ASSET_KEY = re.compile(r"assets/([0-9a-f]{64})\.zip")


def verify_function(ctx, items):
    for it in items:
        conf = ctx.call("lambda", "get-function", "--function-name", it.physical)["Configuration"]
        errs = []
        for prop in ("Runtime", "Handler", "MemorySize", "Timeout"):
            want = literal(it.props.get(prop))
            if want is not None and not matches(want, conf.get(prop)):
                errs.append(differ(prop, want, conf.get(prop)))
        # Code from an asset: Lambda's CodeSha256 (base64 of the zip's SHA-256) must be the hash
        # the key names, so the function runs exactly the zip synth wrote.
        key = literal((it.props.get("Code") or {}).get("S3Key"))
        m = ASSET_KEY.fullmatch(key) if isinstance(key, str) else None
        if m:
            want = base64.b64encode(bytes.fromhex(m.group(1))).decode()
            if conf.get("CodeSha256") != want:
                errs.append(differ("CodeSha256 (of the asset zip)", want, conf.get("CodeSha256")))
        ctx.result(it, errs)


# Types we cannot check against moto, and why (printed with "not verified").
NOT_VERIFIABLE = {
    "AWS::EC2::SubnetRouteTableAssociation": "moto keeps CloudFormation's associations out of describe-route-tables",
}

VERIFIERS = {
    "AWS::EC2::VPC": verify_vpc,
    "AWS::EC2::Subnet": verify_subnet,
    "AWS::EC2::SecurityGroup": verify_security_group,
    "AWS::EC2::InternetGateway": verify_internet_gateway,
    "AWS::EC2::VPCGatewayAttachment": verify_gateway_attachment,
    "AWS::EC2::NatGateway": verify_nat_gateway,
    "AWS::EC2::RouteTable": verify_route_table,
    "AWS::EC2::Route": verify_route,
    "AWS::EC2::VPCEndpoint": verify_vpc_endpoint,
    "AWS::SQS::Queue": verify_queue,
    "AWS::DynamoDB::Table": verify_table,
    "AWS::IAM::Role": verify_role,
    "AWS::Logs::LogGroup": verify_log_group,
    "AWS::Lambda::Function": verify_function,
}


# -- custom resources ------------------------------------------------------------------------------


def verify_default_sg_lockdown(ctx, items):
    """VpcThreeTier's lockdown function must leave the VPC's default security group rule-less."""
    for it in items:
        gid = literal(it.props.get("GroupId"))
        if gid is None:
            ctx.result(it, None, "GroupId not resolvable")
            continue
        sg = _sg(ctx, gid)
        left = actual_rules(sg.get("IpPermissions", [])) + actual_rules(sg.get("IpPermissionsEgress", []))
        ctx.result(it, [f"default security group {gid} still has rules {_fmt_rules(left)}"] if left else [])


VERIFIERS["Custom::DefaultSecurityGroupLockdown"] = verify_default_sg_lockdown
