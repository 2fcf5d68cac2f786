using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Rendering: locale fallback, templates from the topic over the catalogue, broken templates.</summary>
public sealed class RenderingTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void template_is_rendered_in_the_users_locale_falling_back_to_language_then_default()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-de", locale: "de-DE", name: "Grete");
        h.User("u-fr", locale: "fr-FR", name: "Jean");

        h.Send(Security(Request("u-de", "evt-locale-1", Channels.Email)));
        h.Send(Security(Request("u-fr", "evt-locale-2", Channels.Email)));

        var mails = Drain(h.Email).Select(r => r.Message.Value).ToList();
        Assert.Equal(("de", "Hallo Grete, soeben gab es eine neue Anmeldung von iPhone."), (mails[0].locale, mails[0].body));
        Assert.Equal(("en", "Hi Jean, a new sign-in from iPhone just happened."), (mails[1].locale, mails[1].body));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void templates_from_the_topic_override_the_catalogue_per_locale_and_may_be_new()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-tpl-en", name: "Ann");
        h.User("u-tpl-de", locale: "de-DE", name: "Jörg");
        h.Template("new-comment", "de", "social", "{{ params.author }} hat kommentiert: {{ params.snippet }}", "Neuer Kommentar");
        h.Template("flash-sale", "default", "marketing", "Hi {{ user.name }}, {{ params.percent }}% off today.");

        h.Send(Request("u-tpl-en", "evt-tpl-0001", Channels.Email)); // catalogue (en)
        h.Send(Request("u-tpl-de", "evt-tpl-0002", Channels.Email)); // topic (de) over catalogue fallback (en)
        var sale = Request("u-tpl-en", "evt-tpl-0003", Channels.Email);
        sale.category = "marketing";
        sale.templateId = "flash-sale";
        sale.templateParameters = new Dictionary<string, string> { ["percent"] = "20" };
        h.Send(sale); // only in the topic

        var mails = Drain(h.Email).Select(r => r.Message.Value).ToList();
        Assert.Equal("Bob commented on your post: Nice!", mails[0].body);
        Assert.Equal(("de", "Neuer Kommentar", "Bob hat kommentiert: Nice!"), (mails[1].locale, mails[1].subject, mails[1].body));
        Assert.Equal("Hi Ann, 20% off today.", mails[2].body);
        Assert.Empty(h.Dlq.ReadKeyValueList());
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_broken_template_on_the_topic_dead_letters_its_requests_at_render()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-tpl-bad");
        h.Template("new-comment", "en", "social", "{% if %}");

        h.Send(Request("u-tpl-bad", "evt-tpl-bad1", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal(("template-error", "render"), (Header(dead.Message.Headers, HeaderNames.DlqReason), Header(dead.Message.Headers, HeaderNames.DlqStage)));
    }
}
