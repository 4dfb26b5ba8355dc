# Rich-text features offered to editors: enough structure, no raw HTML or inline styling.
RESTRICTED_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]
