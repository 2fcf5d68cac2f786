namespace Streaming.Senders;

/// <summary>Masks targets (emails, phone numbers, device tokens) before they reach a log line.</summary>
internal static class Pii
{
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
