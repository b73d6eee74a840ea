using System.Globalization;
using System.Text;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Validation;

/// <summary>One validation failure, as k8s's field.Error: Type is the StatusCause reason, Field the JSON path,
/// Message the error body ("Invalid value: \"Foo_bar\": a lowercase RFC 1123 …").</summary>
public sealed record FieldError(string Type, string Field, string Message)
{
    public const string RequiredType = "FieldValueRequired";
    public const string InvalidType = "FieldValueInvalid";
    public const string NotSupportedType = "FieldValueNotSupported";
    public const string DuplicateType = "FieldValueDuplicate";
    public const string ForbiddenType = "FieldValueForbidden";
    public const string TooLongType = "FieldValueTooLong";
    public const string NotFoundType = "FieldValueNotFound";

    /// <summary>"field: message", as k8s prints a field error.</summary>
    public override string ToString() => $"{Field}: {Message}";

    public static FieldError Required(string field, string detail = "") =>
        new(RequiredType, field, WithDetail("Required value", detail));

    public static FieldError Invalid(string field, object? value, string detail) =>
        new(InvalidType, field, WithDetail("Invalid value: " + FormatValue(value), detail));

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported) =>
        new(NotSupportedType, field, WithDetail("Unsupported value: " + FormatValue(value),
            "supported values: " + string.Join(", ", supported.Select(Quote))));

    public static FieldError Duplicate(string field, object? value, string detail = "") =>
        new(DuplicateType, field, WithDetail("Duplicate value: " + FormatValue(value), detail));

    public static FieldError Forbidden(string field, string detail) =>
        new(ForbiddenType, field, WithDetail("Forbidden", detail));

    public static FieldError NotFound(string field, object? value) =>
        new(NotFoundType, field, "Not found: " + FormatValue(value));

    public static FieldError TooLong(string field, int maxLength) =>
        new(TooLongType, field, WithDetail("Too long", $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}"));

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";

    /// <summary>The value as k8s's ErrorBody prints it: strings quoted (%q), numbers and booleans bare, anything
    /// else (IntOrString, maps, lists, objects) as its JSON, map keys sorted as Go's encoder sorts them.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int or long or short or double or float or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        IReadOnlyDictionary<string, string> map => ApiJson.Serialize(new SortedDictionary<string, string>(map.ToDictionary(), StringComparer.Ordinal)),
        _ => ApiJson.Serialize(value, value.GetType()),
    };

    /// <summary>Go's %q for the characters that occur in API values.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }
}
