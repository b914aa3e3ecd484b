#include "auth/auth_error.h"

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

}  // namespace s3gw::auth
