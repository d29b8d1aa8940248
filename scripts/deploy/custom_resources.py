"""Run Lambda-backed custom resources locally against moto.

moto runs Lambda functions only in Docker, so a stack with a custom resource stays
CREATE_IN_PROGRESS: the function never answers. When the provider is a Python function of the same
stack with inline code (`Code.ZipFile`), we run its handler here, in a child process of this
interpreter, with boto3 pointed at moto (AWS_ENDPOINT_URL) and a `cfnresponse` module that PUTs the
answer to moto's response endpoint, as AWS's module does. So the handler's code really runs, on the
resources of the stack. Anything else (a provider in another stack, SNS, non-Python code) cannot
run here and is reported."""

import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

from .aws_cli import sandbox_env
from .template import HOLE, holes, intrinsic

HANDLER_TIMEOUT = 120.0

# The documented interface of the `cfnresponse` module Lambda provides to inline Python code.
CFNRESPONSE = r'''
import json
import os
import urllib.request

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    body = {
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: " + context.log_stream_name,
        "PhysicalResourceId": physicalResourceId or context.log_stream_name,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }
    data = json.dumps(body).encode()
    with open(os.environ["DEPLOY_TEST_RESPONSE_FILE"], "w") as f:
        f.write(data.decode())
    req = urllib.request.Request(event["ResponseURL"], data=data, method="PUT",
                                 headers={"content-type": "", "content-length": str(len(data))})
    with urllib.request.urlopen(req, timeout=30) as r:
        print("cfnresponse: HTTP", r.status)
'''

RUNNER = r'''
import importlib, json, sys, time
module_name, function_name, event_path, function_physical = sys.argv[1:5]


class Context:
    function_name = function_physical
    log_group_name = "/aws/lambda/" + function_physical
    log_stream_name = "deploy-test/local"
    aws_request_id = "deploy-test"
    memory_limit_in_mb = 128
    invoked_function_arn = ""
    _deadline = time.time() + 60

    def get_remaining_time_in_millis(self):
        return int(max(0, self._deadline - time.time()) * 1000)


with open(event_path) as f:
    event = json.load(f)
handler = getattr(importlib.import_module(module_name), function_name)
handler(event, Context())
'''

CUSTOM_TYPES = ("AWS::CloudFormation::CustomResource",)


def is_custom(rtype):
    return rtype.startswith("Custom::") or rtype in CUSTOM_TYPES


def provider_function(template, props):
    """The logical id of the same-stack AWS::Lambda::Function a ServiceToken names, or None."""
    token = props.get("ServiceToken")
    fn = intrinsic(token)
    if not fn or fn[0] not in ("Fn::GetAtt", "Ref"):
        return None
    lid = fn[1] if fn[0] == "Ref" else (fn[1][0] if isinstance(fn[1], list) else fn[1].split(".")[0])
    res = template.get("Resources", {}).get(lid, {})
    return lid if res.get("Type") == "AWS::Lambda::Function" else None


def child_env(endpoint, variables):
    """The function's environment variables, pointed at the local server."""
    extra = {k: str(v) for k, v in (variables or {}).items()}
    return sandbox_env(AWS_ENDPOINT_URL=endpoint, **extra)


def run_custom_resource(endpoint, ctx, lid):
    """Run the provider of custom resource `lid` of the stack in `ctx` (a StackContext whose
    resolver sees the created resources). Returns (ok, message)."""
    template = ctx.template
    res = template["Resources"][lid]
    raw_props = res.get("Properties", {})
    fn_lid = provider_function(template, raw_props)
    if fn_lid is None:
        return False, ("its ServiceToken is not a Lambda function of this stack, so it cannot run "
                       "locally; moto would wait for it forever")
    fn = template["Resources"][fn_lid].get("Properties", {})
    code = (fn.get("Code") or {}).get("ZipFile")
    runtime = str(fn.get("Runtime", ""))
    if not isinstance(code, str) or not runtime.startswith("python"):
        return False, f"provider {fn_lid} is not inline Python code ({runtime or 'no runtime'}); cannot run it locally"
    module_name, _, function_name = str(fn.get("Handler", "index.handler")).rpartition(".")
    props = ctx.resolver.resolve(raw_props)
    variables = ctx.resolver.resolve((fn.get("Environment") or {}).get("Variables") or {})
    if holes(props) or holes(variables):
        return False, f"properties not resolvable locally: {json.dumps(props).replace(HOLE, '<?>')}"
    url = (f"{endpoint}/cloudformation_{ctx.region}/cfnresponse?stack="
           + urllib.parse.quote(ctx.stack_id, safe=""))
    event = {
        "RequestType": "Create", "ServiceToken": props.get("ServiceToken"), "ResponseURL": url,
        "StackId": ctx.stack_id, "RequestId": str(uuid.uuid4()), "LogicalResourceId": lid,
        "ResourceType": res["Type"], "ResourceProperties": props,
    }
    timeout = min(float(fn.get("Timeout", 60)), HANDLER_TIMEOUT) + 10
    with tempfile.TemporaryDirectory(prefix="deploy-custom-") as tmp:
        with open(os.path.join(tmp, module_name.replace(".", "/") + ".py"), "w", encoding="utf-8") as f:
            f.write(code)
        with open(os.path.join(tmp, "cfnresponse.py"), "w", encoding="utf-8") as f:
            f.write(CFNRESPONSE)
        with open(os.path.join(tmp, "_runner.py"), "w", encoding="utf-8") as f:
            f.write(RUNNER)
        event_path = os.path.join(tmp, "event.json")
        with open(event_path, "w", encoding="utf-8") as f:
            json.dump(event, f)
        response_path = os.path.join(tmp, "response.json")
        env = child_env(endpoint, variables)
        env["DEPLOY_TEST_RESPONSE_FILE"] = response_path
        physical = ctx.physical.get(fn_lid, fn_lid)
        try:
            p = subprocess.run([sys.executable, "_runner.py", module_name, function_name, event_path, physical],
                               cwd=tmp, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=timeout)
            output = (p.stdout + p.stderr).strip()
        except subprocess.TimeoutExpired:
            return False, f"handler {fn_lid}.{function_name} timed out after {timeout:.0f}s"
        tail = " | ".join(output.splitlines()[-5:])
        if not os.path.exists(response_path):
            return False, f"handler of {fn_lid} sent no response (exit {p.returncode}): {tail}"
        with open(response_path, encoding="utf-8") as f:
            answer = json.load(f)
    if answer.get("Status") != "SUCCESS":
        return False, f"handler of {fn_lid} answered {answer.get('Status')}: {answer.get('Reason')} | {tail}"
    return True, f"handler {module_name}.{function_name} of {fn_lid} ran locally against moto: SUCCESS"
