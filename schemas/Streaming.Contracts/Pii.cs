namespace Streaming.Contracts;

/// <summary>
/// Masks targets (emails, phone numbers, device tokens) wherever a person may read them: log lines, and the status API's
/// answers. One definition, so an operator can match a masked target in a log against the same one in a status.
/// </summary>
public static class Pii
{
    /// <summary>
    /// The first letter and the domain of an email, the country prefix and last two digits of a phone number, the first
    /// six characters and the length of a device token; empty for no target.
    /// </summary>
    public static string Mask(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return "";
        }

        var at = target.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return target[..1] + "***" + target[at..];
        }

        if (target.StartsWith('+'))
        {
            return target.Length <= 5 ? "+***" : target[..3] + new string('*', target.Length - 5) + target[^2..];
        }

        return target.Length <= 8 ? "***" : target[..6] + "…(" + target.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
    }
}
