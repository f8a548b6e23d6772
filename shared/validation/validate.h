// Credential validation against the connector catalog: one validator, two
// targets. The edge runs it on every credentials body before it calls a
// platform or stores anything; the WASM client runs the same code for live
// validation as the client types, so both sides give the same message.
//
// What it does, for each field of the connector:
//   - trims surrounding whitespace (clients paste with trailing newlines),
//     including no-break and zero-width spaces copied from web pages;
//   - applies the field's Check (catalog.h has the table of what each
//     accepts) and normalises where that is natural: a Shopify shop name
//     becomes name.myshopify.com, a pasted BigCommerce API path becomes its
//     store hash, "https://shop.com/" becomes "https://shop.com";
//   - fills defaults, checks required fields, and drops fields hidden by a
//     condition (a custom CRM form may send every field, whatever the auth type);
//   - rejects unknown fields and wrong JSON types, naming the field.
// Messages are for the client: specific, naming the field by its label, and
// saying what a right value looks like.
//
// Nothing here does I/O: whether a host resolves to a private address
// (SSRF) or a token is accepted is for the edge and the platform to decide.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "shared/connectors/catalog.h"
#include "shared/validation/messages.h"

namespace onramp::validation {

// The outcome of checking one value: its normalised form, or a message.
struct FieldCheck {
    std::string value;  // normalised; "" for an empty optional field
    std::string error;  // empty when the value is acceptable; else message, in English
    Message message;    // the error as a code, for a client's own language
    bool ok() const { return error.empty(); }
};

// The outcome of checking a whole credentials object.
struct Validation {
    // Field name -> message, ready for Problem::errors (422). A message about
    // the object as a whole is under the key "credentials".
    std::map<std::string, std::string> errors;
    // The same messages as codes (messages.h), for invalid_fields().
    std::map<std::string, Message> messages;
    // The normalised credentials, keyed by canonical field name: trimmed,
    // defaults filled, hidden fields dropped, empty optional fields omitted.
    // Only meaningful when ok().
    std::map<std::string, std::string> values;
    bool ok() const { return errors.empty(); }
};

// Checks one value against one field, as the UI does while the client types.
// Knows nothing of other fields: `required` is the field's own flag, and
// conditions are the caller's business (see field_visible).
FieldCheck validate_field(const connectors::Field& field, std::string_view value);

// Checks a credentials object: a JSON object of field name -> string (a
// number is accepted for number inputs, an array of strings for
// amazon_id_list). Field names may be the catalog name or one of its
// aliases. Anything that is not an object is an error under "credentials".
Validation validate_credentials(const connectors::Connector& connector,
                                const nlohmann::json& credentials);

// The same for text values, e.g. form fields.
Validation validate_credentials(const connectors::Connector& connector,
                                const std::map<std::string, std::string>& credentials);

// Whether `when` holds for the values typed so far, comparing the
// controlling select after normalisation. An empty condition always holds.
bool condition_holds(const connectors::Connector& connector, const connectors::Condition& when,
                     const std::map<std::string, std::string>& values);

// Whether `field` is shown given the values typed so far: its visible_when
// condition holds, comparing the controlling select after normalisation
// ("OAuth 2.0" counts as "oauth2"). Unconditional fields are always visible.
bool field_visible(const connectors::Connector& connector, const connectors::Field& field,
                   const std::map<std::string, std::string>& values);

// The credentials as they may be shown or returned after storing: sensitive
// values replaced by a mask that keeps the last 4 characters of long values
// ("••••••••1a2b"), so a client can tell which key is stored without it being
// readable; other values unchanged.
std::map<std::string, std::string> masked_credentials(
    const connectors::Connector& connector, const std::map<std::string, std::string>& values);

}  // namespace onramp::validation
