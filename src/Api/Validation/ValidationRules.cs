using System.Net;
using System.Text.RegularExpressions;

namespace MiniKube.Api.Validation;

/// <summary>apimachinery's pkg/util/validation: each check returns the list of reasons a value is bad (empty when
/// it is good), worded exactly as k8s words them.</summary>
public static partial class ValidationRules
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int LabelValueMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string ConfigMapKeyFmt = "[-._a-zA-Z0-9]+";
    private const string ConfigMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
    private const string EnvVarNameFmt = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private const string EnvVarNameErrMsg = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
    private const string PercentFmt = "[0-9]+%";
    private const string PercentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";

    [GeneratedRegex("^" + Dns1123LabelFmt + @"\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFmt + @"\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^" + Dns1035LabelFmt + @"\z")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^" + QualifiedNameFmt + @"\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFmt + @"\z")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + ConfigMapKeyFmt + @"\z")]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex("^" + EnvVarNameFmt + @"\z")]
    private static partial Regex EnvVarNameRegex();

    [GeneratedRegex("^" + PercentFmt + @"\z")]
    private static partial Regex PercentRegex();

    [GeneratedRegex(@"^[-a-z0-9]+\z")]
    private static partial Regex PortNameCharsRegex();

    [GeneratedRegex("[a-z]")]
    private static partial Regex PortNameOneLetterRegex();

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    public static string EmptyError() => "must be non-empty";

    public static string InclusiveRangeError(long lo, long hi) => $"must be between {lo} and {hi}, inclusive";

    /// <summary>k8s's RegexError: the message, examples and the regex in one sentence.</summary>
    public static string RegexError(string message, string format, params string[] examples)
    {
        if (examples.Length == 0)
            return $"{message} (regex used for validation is '{format}')";
        var text = message + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
                text += " or ";
            text += $"'{examples[i]}', ";
        }
        return text + $"regex used for validation is '{format}')";
    }

    public static List<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
            errors.Add(MaxLenError(Dns1123LabelMaxLength));
        if (!Dns1123LabelRegex().IsMatch(value))
            errors.Add(RegexError(Dns1123LabelErrMsg, Dns1123LabelFmt, "my-name", "123-abc"));
        return errors;
    }

    public static List<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        if (!Dns1123SubdomainRegex().IsMatch(value))
            errors.Add(RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
        return errors;
    }

    public static List<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
            errors.Add(MaxLenError(Dns1123LabelMaxLength));
        if (!Dns1035LabelRegex().IsMatch(value))
            errors.Add(RegexError(Dns1035LabelErrMsg, Dns1035LabelFmt, "my-name", "abc-123"));
        return errors;
    }

    /// <summary>An object name; with <paramref name="prefix"/> (a generateName) a trailing '-' is allowed.</summary>
    public static List<string> NameIsDns1123Subdomain(string name, bool prefix) =>
        IsDns1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    public static List<string> NameIsDns1123Label(string name, bool prefix) =>
        IsDns1123Label(prefix ? MaskTrailingDash(name) : name);

    public static List<string> NameIsDns1035Label(string name, bool prefix) =>
        IsDns1035Label(prefix ? MaskTrailingDash(name) : name);

    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    /// <summary>A label key or annotation key: an optional DNS subdomain prefix and '/', then a 63-character name.</summary>
    public static List<string> IsQualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                    errors.Add("prefix part " + EmptyError());
                else
                    errors.AddRange(IsDns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
                break;
            default:
                errors.Add("a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }
        if (name.Length == 0)
            errors.Add("name part " + EmptyError());
        else if (name.Length > QualifiedNameMaxLength)
            errors.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        if (!QualifiedNameRegex().IsMatch(name))
            errors.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        return errors;
    }

    public static List<string> IsValidLabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
            errors.Add(MaxLenError(LabelValueMaxLength));
        if (!LabelValueRegex().IsMatch(value))
            errors.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        return errors;
    }

    public static List<string> IsValidPortNum(int port) =>
        port is >= 1 and <= 65535 ? [] : [InclusiveRangeError(1, 65535)];

    /// <summary>An IANA_SVC_NAME (RFC 6335): what a named port may be called.</summary>
    public static List<string> IsValidPortName(string port)
    {
        var errors = new List<string>();
        if (port.Length > 15)
            errors.Add(MaxLenError(15));
        if (!PortNameCharsRegex().IsMatch(port))
            errors.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        if (!PortNameOneLetterRegex().IsMatch(port))
            errors.Add("must contain at least one letter (a-z)");
        if (port.Contains("--", StringComparison.Ordinal))
            errors.Add("must not contain consecutive hyphens");
        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
            errors.Add("must not begin or end with a hyphen");
        return errors;
    }

    public static List<string> IsConfigMapKey(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        if (!ConfigMapKeyRegex().IsMatch(value))
            errors.Add(RegexError(ConfigMapKeyErrMsg, ConfigMapKeyFmt, "key.name", "KEY_NAME", "key-name"));
        if (value == ".")
            errors.Add("must not be '.'");
        else if (value == "..")
            errors.Add("must not be '..'");
        else if (value.StartsWith("..", StringComparison.Ordinal))
            errors.Add("must not start with '..'");
        return errors;
    }

    public static List<string> IsEnvVarName(string value)
    {
        var errors = new List<string>();
        if (!EnvVarNameRegex().IsMatch(value))
            errors.Add(RegexError(EnvVarNameErrMsg, EnvVarNameFmt, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        if (value == ".")
            errors.Add("must not be '.'");
        else if (value == "..")
            errors.Add("must not be '..'");
        else if (value.StartsWith("..", StringComparison.Ordinal))
            errors.Add("must not start with '..'");
        return errors;
    }

    public static List<string> IsValidPercent(string value) =>
        PercentRegex().IsMatch(value) ? [] : [RegexError(PercentErrMsg, PercentFmt, "1%", "93%")];

    /// <summary>An IPv4 address in dotted-quad form (no leading zeros, as Go's parser) or an IPv6 address without a zone.</summary>
    public static List<string> IsValidIP(string value)
    {
        bool valid;
        if (value.Contains(':', StringComparison.Ordinal))
            valid = !value.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        else
        {
            var parts = value.Split('.');
            valid = parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
        }
        return valid ? [] : ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"];
    }
}
