#include "auth/auth_error.h"

#include "s3/xml_writer.h"

namespace s3gw::auth {

std::string_view auth_errc_name(AuthErrc code) {
  switch (code) {
    case AuthErrc::kAccessDenied:
      return "AccessDenied";
    case AuthErrc::kInvalidAccessKeyId:
      return "InvalidAccessKeyId";
    case AuthErrc::kSignatureDoesNotMatch:
      return "SignatureDoesNotMatch";
    case AuthErrc::kAuthorizationHeaderMalformed:
      return "AuthorizationHeaderMalformed";
    case AuthErrc::kAuthorizationQueryParametersError:
      return "AuthorizationQueryParametersError";
    case AuthErrc::kRequestTimeTooSkewed:
      return "RequestTimeTooSkewed";
    case AuthErrc::kInvalidArgument:
      return "InvalidArgument";
    case AuthErrc::kNotImplemented:
      return "NotImplemented";
  }
  return "AccessDenied";
}

s3::S3Error to_s3_error(const AuthError& error) {
  using s3::ErrorCode;
  ErrorCode code = ErrorCode::kAccessDenied;
  switch (error.code) {
    case AuthErrc::kAccessDenied:
      code = ErrorCode::kAccessDenied;
      break;
    case AuthErrc::kInvalidAccessKeyId:
      code = ErrorCode::kInvalidAccessKeyId;
      break;
    case AuthErrc::kSignatureDoesNotMatch:
      code = ErrorCode::kSignatureDoesNotMatch;
      break;
    case AuthErrc::kAuthorizationHeaderMalformed:
      code = ErrorCode::kAuthorizationHeaderMalformed;
      break;
    case AuthErrc::kAuthorizationQueryParametersError:
      code = ErrorCode::kAuthorizationQueryParametersError;
      break;
    case AuthErrc::kRequestTimeTooSkewed:
      code = ErrorCode::kRequestTimeTooSkewed;
      break;
    case AuthErrc::kInvalidArgument:
      code = ErrorCode::kInvalidArgument;
      break;
    case AuthErrc::kNotImplemented:
      code = ErrorCode::kNotImplemented;
      break;
  }
  s3::S3Error out(code, error.message);
  auto add = [&out](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out.extra_xml +=
        "<" + std::string(name) + ">" + s3::xml_escape(value) + "</" + std::string(name) + ">";
  };
  add("Region", error.region);
  add("AWSAccessKeyId", error.access_key_id);
  add("StringToSign", error.string_to_sign);
  add("CanonicalRequest", error.canonical_request);
  add("HeadersNotSigned", error.headers_not_signed);
  return out;
}

}  // namespace s3gw::auth
