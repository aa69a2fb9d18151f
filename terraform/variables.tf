variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "gatehouse"
}

variable "function_zip" {
  description = "Path of the code artifact built by Quarkus (legacy-jar packaging)."
  type        = string
  default     = "../functions/lambda/target/function.zip"
}

variable "policy_revision" {
  description = "Revision of the policy bundle in the bundle bucket (git commit or S3 object version); part of every verdict."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ARNs of the ECR repositories Gatehouse may read (e.g. arn:aws:ecr:eu-west-1:111122223333:repository/team/*)."
  type        = list(string)
}

variable "webhook_secret_arn" {
  description = "Secrets Manager secret holding the shared secret distribution registries send as Authorization Bearer to the registry-push URL."
  type        = string
}

variable "admission_secret_arn" {
  description = "Secrets Manager secret (URL-safe characters, at least 16) the Kubernetes API server sends to the admission URL, as Authorization Bearer or as the URL's last path segment (docs/kubernetes-webhooks.md)."
  type        = string
}

variable "trust_config_key" {
  description = "Key of the trust configuration in the bundle bucket; the keys and trusted roots it names are read from the same folder."
  type        = string
  default     = "trust/trust.yaml"
}

variable "trusted_builders_key" {
  description = "Key of a SLSA trusted-builders list in the bundle bucket replacing the built-in one (empty for the built-in list)."
  type        = string
  default     = ""
}

variable "bundle_public_key" {
  description = "PEM public key policy bundles must be signed with (.signatures.json); empty accepts unsigned bundles."
  type        = string
  default     = ""
}

variable "registry_hosts" {
  description = "Registry hosts whose pushes registry-push verifies (empty for every registry the events name)."
  type        = list(string)
  default     = []
}

variable "rebuild_catalog" {
  description = "Rebuild catalog (YAML or JSON, docs/rebuilds.md) with CodeBuild projects named gatehouse-rebuild-*; empty rebuilds nothing."
  type        = string
  default     = ""
}

variable "compliance_scan_schedule" {
  description = "EventBridge schedule expression for the compliance scan."
  type        = string
  default     = "rate(1 day)"
}

variable "admission_reserved_concurrency" {
  description = "Reserved concurrency of the admission function (its unauthenticated URL cannot starve the account)."
  type        = number
  default     = 50
}

variable "admission_config" {
  description = "Admission configuration document, YAML or JSON (docs/kubernetes-webhooks.md); empty for the strict default (enforce everywhere, nothing exempt, fail closed)."
  type        = string
  default     = ""
}

variable "signing_key_arn" {
  description = "ARN of an existing asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs verification summaries and reports; empty to create one (docs/vsa.md)."
  type        = string
  default     = ""
}

variable "alarm_topic_arn" {
  description = "SNS topic for alarm notifications (null for none)."
  type        = string
  default     = null
}

variable "scan_registry" {
  description = "Registry host the compliance scan lists; empty for this account's ECR registry in this region."
  type        = string
  default     = ""
}
