package dev.gatehouse.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.value.ValueJson;
import org.junit.jupiter.api.Test;

class AwsSigningBuiltinsTest {

    /** AWS's published SigV4 test suite case "get-vanilla" (credential AKIDEXAMPLE, 2015-08-30T12:36:00Z). */
    @Test
    void signsAwsGetVanillaTestVectorWithThePublishedSignature() throws Exception {
        var result = RegoSnippets.evalRule("""
                package t

                signed := providers.aws.sign_req(
                	{"method": "GET", "url": "https://example.amazonaws.com/"},
                	{"aws_access_key": "AKIDEXAMPLE", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "aws_service": "service", "aws_region": "us-east-1"},
                	1440938160000000000,
                )
                """, "signed");
        assertThat(result).isEqualTo(ValueJson.parse("""
                {"method": "GET", "url": "https://example.amazonaws.com/", "headers": {
                  "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                  "host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"}}
                """));
    }

    @Test
    void s3RequestsCarryThePayloadHashAndSessionTokenAndKeepTheirOwnHeaders() throws Exception {
        var headers = RegoSnippets.evalRule("""
                package t

                headers := providers.aws.sign_req(
                	{"method": "put", "url": "https://bucket.s3.amazonaws.com/a%20b?x=1", "headers": {"User-Agent": "opa", "X-Custom": "v"}, "raw_body": "hello"},
                	{"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "s3", "aws_region": "eu-west-1", "aws_session_token": "TOKEN"},
                	0,
                ).headers
                """, "headers");
        assertThat(ValueJson.write(headers))
                .contains("\"x-amz-content-sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"")
                .contains("\"x-amz-security-token\":\"TOKEN\"")
                .contains("\"User-Agent\":\"opa\"")
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom,")
                .contains("\"x-amz-date\":\"19700101T000000Z\"");
    }

    @Test
    void disabledPayloadSigningSendsUnsignedPayload() throws Exception {
        var sha = RegoSnippets.evalRule("""
                package t

                sha := providers.aws.sign_req(
                	{"method": "get", "url": "https://example.com", "body": {"a": 1}},
                	{"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "s3", "aws_region": "us-east-1", "disable_payload_signing": true},
                	0,
                ).headers["x-amz-content-sha256"]
                """, "sha");
        assertThat(sha).isEqualTo(ValueJson.parse("\"UNSIGNED-PAYLOAD\""));
    }

    @Test
    void badConfigAndRequestsAreBuiltinErrorsNamingTheOperand() {
        assertThatThrownBy(() -> RegoSnippets.evalRule("""
                package t

                p := providers.aws.sign_req({"method": "get", "url": "https://x"}, {"aws_access_key": "AK"}, 0)
                """, "p")).isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_builtin_error: providers.aws.sign_req: operand 2 missing required AWS config parameters(s): "
                        + "{\"aws_region\", \"aws_secret_access_key\", \"aws_service\"}");
        assertThatThrownBy(() -> RegoSnippets.evalRule("""
                package t

                p := providers.aws.sign_req({"method": "get", "uri": "https://x"}, {"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "s3", "aws_region": "r"}, 0)
                """, "p")).isInstanceOf(RegoException.class)
                .hasMessageContaining("operand 1 invalid request parameters(s): {\"uri\"}");
        assertThatThrownBy(() -> RegoSnippets.evalRule("""
                package t

                p := providers.aws.sign_req({"method": "get", "url": "https://x/%zz"}, {"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "s3", "aws_region": "r"}, 0)
                """, "p")).isInstanceOf(RegoException.class)
                .hasMessageContaining("parse \"https://x/%zz\": invalid URL escape \"%zz\"");
        assertThatThrownBy(() -> RegoSnippets.evalRule("""
                package t

                p := providers.aws.sign_req({"method": "get", "url": "https://x"}, {"aws_access_key": "AK", "aws_secret_access_key": "SK", "aws_service": "s3", "aws_region": "r"}, 1.5)
                """, "p")).isInstanceOf(RegoException.class)
                .hasMessageContaining("operand 3 could not convert time_ns value into a unix timestamp");
    }
}
